package jail.cli.jaild;

import jail.cli.config.ContainerDefinition;
import jail.namespace.Processes;
import jail.session.container.ContainerState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code jaild run} supervises: the configured containers with autostart, each with its running init (if
 * any) and its restart back-off (1 s doubling to 60 s, reset after a minute of health). {@link #tick} restarts
 * what died and retries what failed to start; {@link #reload} compares definitions (records: equal means
 * unchanged) and starts, stops or restarts only what changed; {@link #stopAll} ends everything. One line per
 * event on stdout. Single-threaded: the command's loop calls it.
 */
final class Supervisor {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration HEALTHY = Duration.ofSeconds(60);

    private final ContainerControl control;
    private final Supplier<Map<String, ContainerDefinition>> configuration;

    /** One supervised container: its definition, its running init if any, and its restart back-off. */
    private static final class Supervised {
        ContainerDefinition definition;
        ContainerState running;
        Instant nextAttempt = Instant.EPOCH;
        Duration backoff = Duration.ofSeconds(1);
        Instant startedAt;

        Supervised(ContainerDefinition definition) {
            this.definition = definition;
        }
    }


    private final Map<String, Supervised> supervised = new LinkedHashMap<>();

    /** @param configuration loads the configuration afresh (a JaildException says why it cannot) */
    Supervisor(ContainerControl control, Supplier<Map<String, ContainerDefinition>> configuration) {
        this.control = control;
        this.configuration = configuration;
    }

    /** Starts every container with autostart of the configuration first read. */
    void startAll(Map<String, ContainerDefinition> all) {
        Map<String, ContainerDefinition> defs = autostart(all);
        log("supervising " + defs.size() + " container(s)");
        defs.values().forEach(d -> supervised.put(d.name(), new Supervised(d)));
        startDue(new ArrayList<>(supervised.values()));
    }

    /** One round: collects ended children, restarts dead inits after their back-off, retries failed starts. */
    void tick() {
        Processes.reapEnded(); // inits we spawned are our children: no zombie stays
        List<Supervised> due = new ArrayList<>();
        Instant now = Instant.now();
        for (Supervised s : supervised.values()) {
            if (s.running != null && !s.running.isAlive()) {
                log(s.definition.name() + ": init (pid " + s.running.pid() + ") exited unexpectedly; restarting in "
                        + s.backoff.toSeconds() + " s");
                s.running = null;
                s.nextAttempt = now.plus(s.backoff);
                s.backoff = min(s.backoff.multipliedBy(2), MAX_BACKOFF);
            } else if (s.running != null && s.startedAt != null && Duration.between(s.startedAt, now).compareTo(HEALTHY) > 0) {
                s.backoff = Duration.ofSeconds(1);
            }
            if (s.running == null && !now.isBefore(s.nextAttempt)) due.add(s);
        }
        startDue(due);
    }

    /** Stops every supervised container. */
    void stopAll() {
        log("stopping " + supervised.size() + " container(s)");
        for (Supervised s : supervised.values()) stop(s);
        Processes.reapEnded();
        log("stopped");
    }

    /** Reads the configuration again and applies the difference; a bad configuration changes nothing. */
    void reload() {
        Map<String, ContainerDefinition> fresh;
        try {
            fresh = autostart(configuration.get());
        } catch (JaildException e) {
            log("reload failed, keeping the running configuration: " + e.getMessage());
            return;
        }
        for (String name : new ArrayList<>(supervised.keySet())) {
            if (!fresh.containsKey(name)) {
                log(name + ": removed from the configuration");
                stop(supervised.remove(name));
            }
        }
        List<Supervised> toStart = new ArrayList<>();
        for (ContainerDefinition d : fresh.values()) {
            Supervised s = supervised.get(d.name());
            if (s == null) {
                log(d.name() + ": added to the configuration");
                s = new Supervised(d);
                supervised.put(d.name(), s);
                toStart.add(s);
            } else if (!s.definition.equals(d)) {
                log(d.name() + ": configuration changed, restarting");
                stop(s);
                s.definition = d;
                s.backoff = Duration.ofSeconds(1);
                toStart.add(s);
            }
        }
        log("reloaded: " + supervised.size() + " container(s)");
        startDue(toStart);
    }

    /** Starts several at once ({@link ParallelStarter}, as jaild start does); each logs one line. */
    private void startDue(List<Supervised> due) {
        ParallelStarter.startAll(due, this::startOne);
    }

    private void startOne(Supervised s) {
        ContainerDefinition d = s.definition;
        var existing = control.running(d.uid());
        if (existing.isPresent()) {
            s.running = existing.get();
            s.startedAt = Instant.now();
            log(d.name() + ": already running (init pid " + s.running.pid() + "), supervising it");
            return;
        }
        try {
            s.running = control.start(d);
            s.startedAt = Instant.now();
            log(d.name() + ": started (uid " + d.uid() + ", init pid " + s.running.pid() + ")");
        } catch (RuntimeException e) {
            s.nextAttempt = Instant.now().plus(s.backoff);
            log(d.name() + ": failed to start: " + d.source() + ": " + e.getMessage() + "; retrying in " + s.backoff.toSeconds() + " s");
            s.backoff = min(s.backoff.multipliedBy(2), MAX_BACKOFF);
        }
    }

    private void stop(Supervised s) {
        if (s == null || s.running == null) return;
        control.stop(s.running);
        log(s.definition.name() + ": stopped");
        s.running = null;
    }

    private static Map<String, ContainerDefinition> autostart(Map<String, ContainerDefinition> all) {
        Map<String, ContainerDefinition> m = new HashMap<>();
        all.values().stream().filter(ContainerDefinition::autostart).forEach(d -> m.put(d.name(), d));
        return new java.util.TreeMap<>(m);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static synchronized void log(String line) {
        System.out.println("jaild: " + line);
        System.out.flush();
    }
}

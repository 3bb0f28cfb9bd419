package jail.cli.jaild;

import jail.cli.config.ContainerDefinition;
import jail.namespace.Processes;
import jail.session.container.ContainerState;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code jaild run}: the foreground supervisor, for systemd (packaging/systemd/jaild.service). Starts the
 * configured containers, restarts one whose init dies unexpectedly (back-off 1 s doubling to 60 s, reset
 * after a minute of health), stops them all on SIGTERM or SIGINT, and reloads the configuration on SIGHUP:
 * new containers start, removed ones stop, changed ones restart, unchanged ones and their sessions are left
 * alone. One line per event on stdout (the journal); the inits' own lines go there too.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs in the foreground supervising the configured containers (for systemd): restarts "
                + "dead ones, SIGHUP reloads the configuration, SIGTERM stops everything.")
public class RunCommand implements Callable<Integer> {
    private static final Duration TICK = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration HEALTHY = Duration.ofSeconds(60);

    @Inject
    ContainerControl control;

    @Mixin
    ConfigOption config;

    private volatile boolean stopRequested;
    private volatile boolean reloadRequested;

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

    @Override
    public Integer call() throws Exception {
        Map<String, ContainerDefinition> defs = autostart(config.load());
        control.logToOurOutput();
        Signal.handle(new Signal("TERM"), s -> stopRequested = true);
        Signal.handle(new Signal("INT"), s -> stopRequested = true);
        Signal.handle(new Signal("HUP"), s -> reloadRequested = true);
        log("supervising " + defs.size() + " container(s)");
        defs.values().forEach(d -> supervised.put(d.name(), new Supervised(d)));
        startDue(new ArrayList<>(supervised.values()));

        while (!stopRequested) {
            Thread.sleep(TICK.toMillis());
            Processes.reapEnded(); // inits we spawned are our children: no zombie stays
            if (reloadRequested) {
                reloadRequested = false;
                reload();
            }
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
            if (!due.isEmpty()) startDue(due);
        }
        log("stopping " + supervised.size() + " container(s)");
        for (Supervised s : supervised.values()) stop(s);
        Processes.reapEnded(); // inits we spawned are our children: no zombie stays
        log("stopped");
        return ExitCodes.OK;
    }

    private void reload() {
        Map<String, ContainerDefinition> fresh;
        try {
            fresh = autostart(config.load());
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

    /** Starts several at once (as jaild start does); each logs one line. */
    private void startDue(List<Supervised> due) {
        if (due.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, due.size()));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Supervised s : due) jobs.add(pool.submit(() -> startOne(s)));
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (Exception e) {
                    log("start failed: " + e);
                }
            }
        } finally {
            pool.shutdown();
        }
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

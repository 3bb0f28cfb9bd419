package jail.cli.jaild;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jail.cli.config.ContainerDefinition;
import jail.namespace.BindMount;
import jail.namespace.account.PasswdEntry;
import jail.session.client.SessionClient;
import jail.session.protocol.ContainerStatus;
import jail.session.container.ContainerLauncher;
import jail.session.container.ContainerSpec;
import jail.session.container.ContainerState;
import jail.session.container.ContainerStopper;
import jail.session.container.StateDirectory;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static jail.session.text.ControlEscape.escape;

/**
 * What the jaild commands share: starting a configured container, finding running ones by name or uid,
 * stopping them, and asking an init for its status. A CDI bean so that commands get it injected.
 */
@ApplicationScoped
public class ContainerControl {

    StateDirectory state() {
        return ContainerOwner.stateDirectory();
    }

    /** Inits started from now on log to our stdout (the supervisor in the foreground) instead of files. */
    private volatile boolean logToOurOutput;

    void logToOurOutput() {
        logToOurOutput = true;
    }

    /**
     * The one front door of every start, {@code jaild -u -r} and configured containers alike: checks the
     * definition against its world (ROOTDIR, its account, searchability, bind sources, where setuid could
     * reach other users) and launches it; returns what was recorded.
     */
    ContainerState start(ContainerDefinition d) {
        Path root = RootFilesystem.check(d.root());
        PasswdEntry entry = RootFilesystem.account(root, d.uid());
        try {
            RootFilesystem.requireSearchable(root, d.uid());
        } catch (IOException e) {
            throw new JaildException("ROOTDIR " + root + ": " + JaildException.reason(e), e);
        }
        List<BindMount> binds = BindSources.resolve(root, d.binds());
        SetuidExposure.check(d.uid(), d.noNewPrivs(), d.uid() == 0 ? "with uid 0 (root inside),"
                        : "with setuid allowed (--allow-setuid, no-new-privs: false),",
                root, binds.stream().filter(b -> !b.readOnly()).map(BindMount::source).toList());
        int gid = d.gid().isPresent() ? d.gid().getAsInt() : entry.gid();
        ContainerSpec spec = new ContainerSpec(d.name(), d.uid(), gid, root, d.hostname(), d.noNewPrivs(), d.maxSessions(), d.maxPtys(),
                d.helloTimeoutSeconds() * 1000, binds, d.environment(), d.rlimits(), cgroupLimits(d), d.seccomp(), d.timeLimits(),
                d.detachPolicy(), d.agentForwarding());
        try {
            return Installation.launcher(state(), logToOurOutput).start(spec);
        } catch (ContainerLauncher.LaunchException e) {
            throw new JaildException(e.getMessage());
        } catch (IOException e) {
            throw new JaildException(JaildException.describe(e), e);
        }
    }

    private static jail.cgroup.CgroupLimits cgroupLimits(ContainerDefinition d) {
        try {
            return new jail.cgroup.CgroupLimits(d.memoryBytes(), d.pids(), d.cpus());
        } catch (IllegalArgumentException e) {
            throw new JaildException(d.name() + ": " + e.getMessage());
        }
    }

    /** A recorded container by name, or by uid when {@code ref} is a number. */
    Optional<ContainerState> find(String ref) {
        for (ContainerState c : state().all()) {
            if (c.name().equals(ref) || String.valueOf(c.uid()).equals(ref)) return Optional.of(c);
        }
        return Optional.empty();
    }

    /** The live container of a uid (there is at most one per uid). */
    Optional<ContainerState> running(int uid) {
        return state().find(uid).filter(ContainerState::isAlive);
    }

    List<ContainerState> all() {
        return state().all();
    }

    boolean stop(ContainerState c) {
        try {
            return new ContainerStopper(state()).stop(c);
        } catch (IOException e) {
            throw new JaildException("stopping " + c.name() + ": " + JaildException.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JaildException("interrupted while stopping " + c.name());
        }
    }

    /** The init's STATUS answer, or why there is none (it does not answer, refuses, is not ours to ask, or speaks another version). */
    record InitStatus(ContainerStatus status, String error) {
        Optional<ContainerStatus> answer() {
            return Optional.ofNullable(status);
        }
    }

    InitStatus status(ContainerState c) {
        try {
            return new InitStatus(SessionClient.connect(c.socket(), c.uid()).status(), null);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            return new InitStatus(null, reason.replace('\n', ' '));
        }
    }

    /** The summary row of list, as JSON. */
    JsonObject summary(ContainerState c) {
        boolean alive = c.isAlive();
        JsonObject o = new JsonObject().put("name", c.name()).put("uid", c.uid()).put("gid", c.gid())
                .put("root", c.root().toString()).put("state", alive ? "running" : "dead").put("pid", c.pid())
                .put("socket", c.socket().toString()).put("log", c.log().toString()).put("started", c.started().toString());
        if (alive) {
            o.put("uptimeSeconds", Duration.between(c.started(), Instant.now()).toSeconds());
            InitStatus status = status(c);
            status.answer().ifPresent(answer -> o.put("sessions", answer.sessions().size()));
            if (status.error() != null) o.put("statusError", status.error());
        }
        return o;
    }

    /** Processes in the container: host pids whose PID namespace is the init's. */
    static int processCount(int initPid) {
        try {
            Path ns = Files.readSymbolicLink(Path.of("/proc/" + initPid + "/ns/pid"));
            int n = 0;
            try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path p : dirs) {
                    try {
                        if (Files.readSymbolicLink(p.resolve("ns/pid")).equals(ns)) n++;
                    } catch (IOException ignored) {
                        // the process ended while we looked
                    }
                }
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The sessions of a status as jaild prints them: what their users chose is escaped here, JSON or not. */
    static JsonArray sessionsJson(ContainerStatus status) {
        JsonArray a = new JsonArray();
        for (ContainerStatus.Session s : status.sessions()) {
            JsonObject session = new JsonObject().put("pid", s.pid()).put("user", escape(s.user())).put("origin", escape(s.origin()))
                    .put("started", String.valueOf(s.started())).put("mode", s.mode()).put("detached", s.detached()).put("command", escape(s.command()));
            // the session's own cgroup, where the container has one: CPU time (ns) and peak memory (bytes)
            if (s.cpuNanos() != null) session.put("cpuNanos", s.cpuNanos());
            if (s.peakMemoryBytes() != null) session.put("peakMemoryBytes", s.peakMemoryBytes());
            a.add(session);
        }
        return a;
    }

    static String uptime(Instant started) {
        long s = Duration.between(started, Instant.now()).toSeconds();
        if (s < 120) return s + "s";
        if (s < 7200) return s / 60 + "m";
        if (s < 172800) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}

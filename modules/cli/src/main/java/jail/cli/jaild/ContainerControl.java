package jail.cli.jaild;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jail.cli.config.ContainerDefinition;
import jail.namespace.account.PasswdEntry;
import jail.session.client.SessionClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
        List<ContainerDefinition.Mount> binds = BindSources.resolve(root, d.binds());
        SetuidExposure.check(d.uid(), d.noNewPrivs(), d.uid() == 0 ? "with uid 0 (root inside),"
                        : "with setuid allowed (--allow-setuid, no-new-privs: false),",
                root, binds.stream().filter(b -> !b.readOnly()).map(ContainerDefinition.Mount::source).toList());
        int gid = d.gid().isPresent() ? d.gid().getAsInt() : entry.gid();
        List<String> env = new ArrayList<>();
        d.environment().forEach((k, v) -> env.add(k + "=" + v));
        env.sort(null);
        ContainerSpec spec = new ContainerSpec(d.name(), d.uid(), gid, root, d.hostname(), d.noNewPrivs(), d.maxSessions(), d.maxPtys(),
                d.helloTimeoutSeconds() * 1000, binds.stream().map(ContainerDefinition.Mount::encode).toList(), env,
                new ContainerSpec.Rlimits(asLong(d.nofile()), asLong(d.nproc()), d.coreBytes()),
                cgroupLimits(d), d.seccomp(), d.timeLimits(), d.detachPolicy());
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

    /** The init's STATUS answer, or why there is none (it does not answer, refuses, or is not ours to ask). */
    record InitStatus(String text, String error) {
        Optional<String> answer() {
            return Optional.ofNullable(text);
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

    static List<String> sessionLines(String status) {
        List<String> lines = new ArrayList<>();
        for (String line : status.split("\n")) if (line.startsWith("session=")) lines.add(line.substring(8));
        return lines;
    }

    static String field(String status, String key) {
        for (String line : status.split("\n")) if (line.startsWith(key + "=")) return line.substring(key.length() + 1);
        return null;
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
            status.answer().ifPresent(text -> o.put("sessions", sessionLines(text).size()));
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

    static JsonArray sessionsJson(String status) {
        JsonArray a = new JsonArray();
        for (String line : sessionLines(status)) {
            String[] f = line.split("\t", 7);
            if (f.length < 6) continue;
            // Since protocol 2 a field says whether a client is attached; an older init's lines lack it.
            String command = f[f.length - 1];
            a.add(new JsonObject().put("pid", Integer.parseInt(f[0])).put("user", f[1]).put("origin", f[2])
                    .put("started", f[3]).put("mode", f[4]).put("detached", f.length == 7 && f[5].equals("detached"))
                    .put("command", command.equals("-") ? null : command));
        }
        return a;
    }

    private static OptionalLong asLong(java.util.OptionalInt v) {
        return v.isPresent() ? OptionalLong.of(v.getAsInt()) : OptionalLong.empty();
    }

    static String uptime(Instant started) {
        long s = Duration.between(started, Instant.now()).toSeconds();
        if (s < 120) return s + "s";
        if (s < 7200) return s / 60 + "m";
        if (s < 172800) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}

package jail.session.init;

import jail.namespace.BindMount;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the init is told by jaild, which has validated all of it already: made from the container's definition
 * in one place ({@code ContainerSpec.initConfig}), and carried on the init's command line, {@link #encode}d
 * by jaild and {@link #decode}d by the init: one codec, written and read by the same build.
 *
 * @param readyFd     fd on which the init reports "READY" or "ERROR message" once, then closes it (-1: none)
 * @param name        how admins refer to the container, in every line of its log
 * @param binds       extra mounts, made before the pivot
 * @param environment extra variables of every session, by name (sorted: the argument file is stable)
 * @param rlimits     resource limits of every session
 * @param maxPtys     the most ptys of the container's devpts instance (default: twice maxSessions)
 * @param seccomp     the syscall filter of every session
 * @param timeLimits  idle and absolute time limits of every session
 * @param detachPolicy how long a terminal session outlives its client (zero: not at all), and whether a login
 *                    reattaches
 * @param agentForwarding whether a client's ssh agent is forwarded into its session
 * @param cgroups     the container's cgroup directories, one per hierarchy, under which each session gets a child
 *                    (none: the container has no cgroup, and its sessions no accounting)
 */
public record InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                         boolean noNewPrivs, int maxSessions, int helloTimeoutMillis, String name,
                         List<BindMount> binds, Map<String, String> environment, ResourceLimits rlimits,
                         int maxPtys, SyscallFilter seccomp, SessionTimeLimits timeLimits, DetachPolicy detachPolicy,
                         boolean agentForwarding, List<Path> cgroups) {

    public InitConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(rlimits, "rlimits");
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(timeLimits, "timeLimits");
        Objects.requireNonNull(detachPolicy, "detachPolicy");
        if (!root.isAbsolute()) throw new IllegalArgumentException("root " + root + " is not an absolute path");
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1");
        if (maxPtys < 1) throw new IllegalArgumentException("maxPtys must be at least 1");
        if (helloTimeoutMillis < 1) throw new IllegalArgumentException("helloTimeoutMillis must be positive");
        hostname = hostname == null ? "" : hostname;
        name = name == null || name.isEmpty() ? String.valueOf(uid) : name;
        binds = List.copyOf(binds);
        environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        cgroups = List.copyOf(cgroups);
        for (Path c : cgroups) if (!c.isAbsolute()) throw new IllegalArgumentException("cgroup " + c + " is not an absolute path");
    }

    /** Without a cgroup. */
    public InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                      boolean noNewPrivs, int maxSessions, int helloTimeoutMillis, String name,
                      List<BindMount> binds, Map<String, String> environment, ResourceLimits rlimits,
                      int maxPtys, SyscallFilter seccomp, SessionTimeLimits timeLimits, DetachPolicy detachPolicy,
                      boolean agentForwarding) {
        this(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions, helloTimeoutMillis, name,
                binds, environment, rlimits, maxPtys, seccomp, timeLimits, detachPolicy, agentForwarding, List.of());
    }

    /**
     * The common case: no binds, no extra environment, default rlimits, the default syscall filter, no time limits,
     * the default detach policy, agent forwarding on.
     */
    public InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                      boolean noNewPrivs, int maxSessions, int helloTimeoutMillis) {
        this(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions, helloTimeoutMillis,
                String.valueOf(uid), List.of(), Map.of(), ResourceLimits.DEFAULTS, defaultMaxPtys(maxSessions),
                SyscallFilter.DEFAULT, SessionTimeLimits.NONE, DetachPolicy.DEFAULT, true);
    }

    /** Every session may have a terminal, and as many ptys again are left for programs inside (tmux, expect). */
    public static int defaultMaxPtys(int maxSessions) {
        return (int) Math.min(2L * maxSessions, Integer.MAX_VALUE);
    }

    /**
     * The init's arguments after its main class: {@code --KEY=VALUE} for each field, and for each bind mount
     * {@code --bind} followed by three arguments of its own ({@code ro} or {@code rw}, SOURCE, TARGET), so
     * that a path needs no separator it may not contain; {@code --cgroup=DIR} once per cgroup directory, in
     * order (none without a cgroup). Hand-written rather than JSON: it is on every init's
     * start, where a JSON library's first use costs about 100 ms of CPU.
     */
    public List<String> encode() {
        List<String> args = new ArrayList<>(List.of("--uid=" + uid, "--gid=" + gid, "--root=" + root, "--socket=" + socket,
                "--state=" + stateFile, "--hostname=" + hostname, "--ready-fd=" + readyFd, "--no-new-privs=" + noNewPrivs,
                "--max-sessions=" + maxSessions, "--hello-timeout-ms=" + helloTimeoutMillis, "--name=" + name,
                "--nofile=" + rlimits.nofile(), "--nproc=" + rlimits.nproc(), "--core=" + rlimits.core(), "--max-ptys=" + maxPtys,
                "--seccomp-deny=" + String.join(",", seccomp.denied()),
                "--idle-timeout=" + timeLimits.idle(), "--max-duration=" + timeLimits.maxDuration(),
                "--detach-grace=" + detachPolicy.grace(), "--reattach=" + detachPolicy.reattach().word(),
                "--agent-forwarding=" + agentForwarding));
        for (BindMount b : binds) args.addAll(List.of("--bind", b.readOnly() ? "ro" : "rw", b.source().toString(), b.target()));
        environment.forEach((name, value) -> args.add("--env=" + name + "=" + value));
        for (Path c : cgroups) args.add("--cgroup=" + c);
        return args;
    }

    /** The init's side of {@link #encode}: anything else is an {@link InitConfigException} saying what is wrong. */
    public static InitConfig decode(String[] args) throws InitConfigException {
        Map<String, String> fields = new HashMap<>();
        List<BindMount> binds = new ArrayList<>();
        Map<String, String> env = new TreeMap<>();
        List<Path> cgroups = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--bind")) {
                if (args.length - i < 4) throw new InitConfigException("--bind needs three arguments: ro or rw, SOURCE, TARGET");
                String mode = args[i + 1], source = args[i + 2], target = args[i + 3];
                i += 3;
                if (!mode.equals("ro") && !mode.equals("rw")) throw new InitConfigException("--bind " + mode + ": expected ro or rw");
                binds.add(field("--bind", () -> new BindMount(Path.of(source), target, mode.equals("ro"))));
            } else if (a.startsWith("--env=")) {
                int eq = a.indexOf('=', 6);
                if (eq <= 6) throw new InitConfigException("bad init argument: " + a + " (expected --env=NAME=VALUE)");
                if (env.putIfAbsent(a.substring(6, eq), a.substring(eq + 1)) != null) throw repeated(a);
            } else if (a.startsWith("--cgroup=")) {
                Path dir = field("--cgroup", () -> Path.of(a.substring(9)));
                if (cgroups.contains(dir)) throw repeated(a);
                cgroups.add(dir);
            } else if (a.startsWith("--") && a.indexOf('=') > 2) {
                if (fields.putIfAbsent(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1)) != null) throw repeated(a);
            } else {
                throw new InitConfigException("bad init argument: " + a);
            }
        }
        Fields f = new Fields(fields);
        InitConfig config = field("the configuration", () -> new InitConfig(f.integer("uid"), f.integer("gid"), f.path("root"),
                f.path("socket"), f.path("state"), f.text("hostname"), f.integer("ready-fd"), f.bool("no-new-privs"), f.integer("max-sessions"),
                f.integer("hello-timeout-ms"), f.text("name"), binds, env,
                new ResourceLimits(f.number("nofile"), f.number("nproc"), f.number("core")), f.integer("max-ptys"),
                new SyscallFilter(f.text("seccomp-deny").isEmpty() ? List.of() : List.of(f.text("seccomp-deny").split(","))),
                new SessionTimeLimits(f.duration("idle-timeout"), f.duration("max-duration")),
                new DetachPolicy(f.duration("detach-grace"), field("--reattach", () -> DetachPolicy.Reattach.parse(f.text("reattach")))),
                f.bool("agent-forwarding"), cgroups));
        f.requireAllUsed();
        return config;
    }

    /** A later argument never overrides an earlier one: the file is jaild's, and one of each is all it writes. */
    private static InitConfigException repeated(String argument) {
        return new InitConfigException("repeated init argument: " + argument);
    }

    /** The {@code --KEY=VALUE} arguments; every one must be there, of its type, and known. */
    private record Fields(Map<String, String> values, java.util.Set<String> used) {
        Fields(Map<String, String> values) {
            this(values, new java.util.HashSet<>());
        }

        String text(String key) throws InitConfigException {
            String v = values.get(key);
            if (v == null) throw new InitConfigException("missing init argument --" + key);
            used.add(key);
            return v;
        }

        int integer(String key) throws InitConfigException {
            String v = text(key);
            return field("--" + key, () -> Integer.parseInt(v));
        }

        long number(String key) throws InitConfigException {
            String v = text(key);
            return field("--" + key, () -> Long.parseLong(v));
        }

        boolean bool(String key) throws InitConfigException {
            String v = text(key);
            if (!v.equals("true") && !v.equals("false")) throw new InitConfigException("--" + key + "=" + v + ": expected true or false");
            return v.equals("true");
        }

        Path path(String key) throws InitConfigException {
            String v = text(key);
            return field("--" + key, () -> Path.of(v));
        }

        java.time.Duration duration(String key) throws InitConfigException {
            String v = text(key);
            return field("--" + key, () -> java.time.Duration.parse(v));
        }

        void requireAllUsed() throws InitConfigException {
            for (String key : values.keySet()) if (!used.contains(key)) throw new InitConfigException("unknown init argument --" + key);
        }
    }

    private interface Maker<T> {
        T make() throws InitConfigException;
    }

    /** What {@code maker} makes, or why not, as an InitConfigException naming {@code what}. */
    private static <T> T field(String what, Maker<T> maker) throws InitConfigException {
        try {
            return maker.make();
        } catch (RuntimeException e) {
            throw new InitConfigException(what + ": " + e.getMessage());
        }
    }

    /** The init's command line does not make a configuration (it is jaild's to write: a mismatch of versions, or a hand-made start). */
    public static final class InitConfigException extends Exception {
        InitConfigException(String message) {
            super(message);
        }
    }
}

package jail.session.init;

import jail.namespace.spawn.SyscallFilter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the init is told on its command line by jaild (which has validated all of it already). Repeatable
 * arguments: {@code --bind=SOURCE|TARGET|ro}, {@code --env=NAME=value}.
 *
 * @param readyFd fd on which the init reports "READY" or "ERROR message" once, then closes it
 * @param nofile  RLIMIT_NOFILE for sessions, -1 for a login's default (likewise nproc, core)
 * @param maxPtys the most ptys of the container's devpts instance (default: twice maxSessions)
 * @param seccomp the syscall filter of every session ({@code --seccomp-deny=NAME,...}; empty: none; absent: the default)
 * @param timeLimits idle and absolute time limits of every session ({@code --idle-timeout-ms}, {@code --max-duration-ms}; 0: none)
 * @param detachPolicy how long a terminal session outlives its client ({@code --detach-grace-ms}, 0: not at all) and
 *                   whether a login reattaches ({@code --reattach=ask|always|never})
 */
public record InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                         boolean noNewPrivs, int maxSessions, int helloTimeoutMillis, String name,
                         List<String> binds, List<String> environment, long nofile, long nproc, long core,
                         int maxPtys, SyscallFilter seccomp, SessionTimeLimits timeLimits, DetachPolicy detachPolicy) {

    public InitConfig {
        binds = List.copyOf(binds);
        environment = List.copyOf(environment);
    }

    /** With the default detach policy. */
    public InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                      boolean noNewPrivs, int maxSessions, int helloTimeoutMillis, String name,
                      List<String> binds, List<String> environment, long nofile, long nproc, long core,
                      int maxPtys, SyscallFilter seccomp, SessionTimeLimits timeLimits) {
        this(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions, helloTimeoutMillis, name,
                binds, environment, nofile, nproc, core, maxPtys, seccomp, timeLimits, DetachPolicy.DEFAULT);
    }

    /** Without time limits. */
    public InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                      boolean noNewPrivs, int maxSessions, int helloTimeoutMillis, String name,
                      List<String> binds, List<String> environment, long nofile, long nproc, long core,
                      int maxPtys, SyscallFilter seccomp) {
        this(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions, helloTimeoutMillis, name,
                binds, environment, nofile, nproc, core, maxPtys, seccomp, SessionTimeLimits.NONE);
    }

    /** The common case: no binds, no extra environment, default rlimits, the default syscall filter. */
    public InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                      boolean noNewPrivs, int maxSessions, int helloTimeoutMillis) {
        this(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions, helloTimeoutMillis,
                String.valueOf(uid), List.of(), List.of(), -1, -1, -1, defaultMaxPtys(maxSessions), SyscallFilter.DEFAULT);
    }

    /** Every session may have a terminal, and as many ptys again are left for programs inside (tmux, expect). */
    public static int defaultMaxPtys(int maxSessions) {
        return (int) Math.min(2L * maxSessions, Integer.MAX_VALUE);
    }

    public static InitConfig parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        List<String> binds = new ArrayList<>();
        List<String> env = new ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("bad init argument: " + a);
            String key = a.substring(2, a.indexOf('='));
            String value = a.substring(a.indexOf('=') + 1);
            switch (key) {
                case "bind" -> binds.add(value);
                case "env" -> env.add(value);
                default -> m.put(key, value);
            }
        }
        int uid = Integer.parseInt(require(m, "uid"));
        int maxSessions = Integer.parseInt(m.getOrDefault("max-sessions", "256"));
        return new InitConfig(
                uid,
                Integer.parseInt(require(m, "gid")),
                Path.of(require(m, "root")),
                Path.of(require(m, "socket")),
                Path.of(require(m, "state")),
                m.getOrDefault("hostname", ""),
                Integer.parseInt(m.getOrDefault("ready-fd", "-1")),
                Boolean.parseBoolean(m.getOrDefault("no-new-privs", "true")),
                maxSessions,
                Integer.parseInt(m.getOrDefault("hello-timeout-ms", "10000")),
                m.getOrDefault("name", String.valueOf(uid)),
                binds, env,
                Long.parseLong(m.getOrDefault("nofile", "-1")),
                Long.parseLong(m.getOrDefault("nproc", "-1")),
                Long.parseLong(m.getOrDefault("core", "-1")),
                m.containsKey("max-ptys") ? Integer.parseInt(m.get("max-ptys")) : defaultMaxPtys(maxSessions),
                !m.containsKey("seccomp-deny") ? SyscallFilter.DEFAULT
                        : new SyscallFilter(m.get("seccomp-deny").isEmpty() ? List.of() : List.of(m.get("seccomp-deny").split(","))),
                new SessionTimeLimits(java.time.Duration.ofMillis(Long.parseLong(m.getOrDefault("idle-timeout-ms", "0"))),
                        java.time.Duration.ofMillis(Long.parseLong(m.getOrDefault("max-duration-ms", "0")))),
                new DetachPolicy(java.time.Duration.ofMillis(Long.parseLong(m.getOrDefault("detach-grace-ms",
                        String.valueOf(DetachPolicy.DEFAULT_GRACE.toMillis())))),
                        DetachPolicy.Reattach.parse(m.getOrDefault("reattach", "ask"))));
    }

    public String[] toArgs() {
        List<String> args = new ArrayList<>(List.of("--uid=" + uid, "--gid=" + gid, "--root=" + root, "--socket=" + socket,
                "--state=" + stateFile, "--hostname=" + hostname, "--ready-fd=" + readyFd,
                "--no-new-privs=" + noNewPrivs, "--max-sessions=" + maxSessions,
                "--hello-timeout-ms=" + helloTimeoutMillis, "--name=" + name,
                "--nofile=" + nofile, "--nproc=" + nproc, "--core=" + core, "--max-ptys=" + maxPtys,
                "--seccomp-deny=" + String.join(",", seccomp.denied()),
                "--idle-timeout-ms=" + timeLimits.idle().toMillis(), "--max-duration-ms=" + timeLimits.maxDuration().toMillis(),
                "--detach-grace-ms=" + detachPolicy.grace().toMillis(), "--reattach=" + detachPolicy.reattach().word()));
        for (String b : binds) args.add("--bind=" + b);
        for (String e : environment) args.add("--env=" + e);
        return args.toArray(new String[0]);
    }

    private static String require(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalArgumentException("missing init argument --" + key);
        return v;
    }
}

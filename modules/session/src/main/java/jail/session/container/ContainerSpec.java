package jail.session.container;

import jail.cgroup.CgroupLimits;
import jail.namespace.spawn.SyscallFilter;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Everything that defines one container, however it was given (jaild's flags or a configuration file).
 *
 * @param name         how admins refer to it (the configuration's key; the uid for {@code jaild -u})
 * @param noNewPrivs   PR_SET_NO_NEW_PRIVS for every session (default on: setuid programs cannot gain privileges)
 * @param maxSessions  sessions open at once; more are refused with a clear error
 * @param maxPtys      ptys the container's devpts instance hands out (its sessions' and its programs')
 * @param helloTimeoutMillis how long a connection may take to send its HELLO
 * @param binds        extra mounts, "SOURCE|TARGET|ro" or "...|rw"
 * @param environment  extra "NAME=value" entries for every session
 * @param rlimits      resource limits of every session
 * @param cgroup       cgroup limits of the whole container, the init included (none: no cgroup is made)
 * @param seccomp      the syscall filter of every session
 * @param timeLimits   idle and absolute time limits of every session
 * @param detachPolicy how long a terminal session outlives its client, and whether logins reattach
 */
public record ContainerSpec(String name, int uid, int gid, Path root, String hostname, boolean noNewPrivs,
                            int maxSessions, int maxPtys, int helloTimeoutMillis, List<String> binds, List<String> environment,
                            Rlimits rlimits, CgroupLimits cgroup, SyscallFilter seccomp,
                            jail.session.init.SessionTimeLimits timeLimits, jail.session.init.DetachPolicy detachPolicy) {
    /** setrlimit values for sessions; empty means a login's default. */
    public record Rlimits(OptionalLong nofile, OptionalLong nproc, OptionalLong core) {
        public static Rlimits none() {
            return new Rlimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
        }
    }

    public ContainerSpec {
        if (maxSessions < 1) throw new IllegalArgumentException("max sessions must be at least 1");
        if (maxPtys < 1) throw new IllegalArgumentException("max ptys must be at least 1");
        if (helloTimeoutMillis < 1) throw new IllegalArgumentException("hello timeout must be positive");
        hostname = hostname == null ? "" : hostname;
        name = name == null || name.isEmpty() ? String.valueOf(uid) : name;
        binds = List.copyOf(binds);
        environment = List.copyOf(environment);
    }
}

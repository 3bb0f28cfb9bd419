package jail.session.container;

import jail.cgroup.CgroupLimits;
import jail.namespace.BindMount;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;
import jail.session.init.DetachPolicy;
import jail.session.init.InitConfig;
import jail.session.init.SessionTimeLimits;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One container as jaild starts it: its definition (jaild's flags or a configuration file) checked against
 * its world, the group resolved and the bind sources resolved to real paths.
 *
 * @param name         how admins refer to it (the configuration's key; the uid for {@code jaild -u})
 * @param noNewPrivs   PR_SET_NO_NEW_PRIVS for every session (default on: setuid programs cannot gain privileges)
 * @param maxSessions  sessions open at once; more are refused with a clear error
 * @param maxPtys      ptys the container's devpts instance hands out (its sessions' and its programs')
 * @param helloTimeoutMillis how long a connection may take to send its HELLO
 * @param binds        extra mounts
 * @param environment  extra variables for every session
 * @param rlimits      resource limits of every session
 * @param cgroup       cgroup limits of the whole container, the init included (none: no cgroup is made)
 * @param seccomp      the syscall filter of every session
 * @param timeLimits   idle and absolute time limits of every session
 * @param detachPolicy how long a terminal session outlives its client, and whether logins reattach
 * @param agentForwarding whether a client's ssh agent is forwarded into its sessions
 */
public record ContainerSpec(String name, int uid, int gid, Path root, String hostname, boolean noNewPrivs,
                            int maxSessions, int maxPtys, int helloTimeoutMillis, List<BindMount> binds,
                            Map<String, String> environment, ResourceLimits rlimits, CgroupLimits cgroup,
                            SyscallFilter seccomp, SessionTimeLimits timeLimits, DetachPolicy detachPolicy,
                            boolean agentForwarding) {

    public ContainerSpec {
        if (maxSessions < 1) throw new IllegalArgumentException("max sessions must be at least 1");
        if (maxPtys < 1) throw new IllegalArgumentException("max ptys must be at least 1");
        if (helloTimeoutMillis < 1) throw new IllegalArgumentException("hello timeout must be positive");
        hostname = hostname == null ? "" : hostname;
        name = name == null || name.isEmpty() ? String.valueOf(uid) : name;
        binds = List.copyOf(binds);
        environment = Map.copyOf(environment);
    }

    /**
     * The init's configuration: this container, where its init answers and reports, and the cgroup directories
     * its sessions' cgroups go under (the one place it is made).
     */
    public InitConfig initConfig(Path socket, Path stateFile, int readyFd, List<Path> cgroups) {
        return new InitConfig(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions,
                helloTimeoutMillis, name, binds, environment, rlimits, maxPtys, seccomp, timeLimits, detachPolicy,
                agentForwarding, cgroups);
    }
}

package jail.session.init;

import jail.namespace.BindMount;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;
import jail.session.protocol.RecordJson;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the init is told by jaild, which has validated all of it already: made from the container's definition
 * in one place ({@code ContainerSpec.initConfig}), and carried on the init's command line as one JSON
 * argument, {@link #encode} there and {@link #decode} in the init.
 *
 * @param readyFd     fd on which the init reports "READY" or "ERROR message" once, then closes it (-1: none)
 * @param name        how admins refer to the container, in every line of its log
 * @param binds       extra mounts, made before the pivot
 * @param environment extra variables of every session, by name (sorted: the argument file is stable)
 * @param rlimits     resource limits of every session
 * @param maxPtys     the most ptys of the container's devpts instance (default: twice maxSessions)
 * @param seccomp     the syscall filter of every session
 * @param timeLimits  idle and absolute time limits of every session
 */
public record InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                         boolean noNewPrivs, int maxSessions, int helloTimeoutMillis, String name,
                         List<BindMount> binds, Map<String, String> environment, ResourceLimits rlimits,
                         int maxPtys, SyscallFilter seccomp, SessionTimeLimits timeLimits) {

    public InitConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(rlimits, "rlimits");
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(timeLimits, "timeLimits");
        if (!root.isAbsolute()) throw new IllegalArgumentException("root " + root + " is not an absolute path");
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1");
        if (maxPtys < 1) throw new IllegalArgumentException("maxPtys must be at least 1");
        if (helloTimeoutMillis < 1) throw new IllegalArgumentException("helloTimeoutMillis must be positive");
        hostname = hostname == null ? "" : hostname;
        name = name == null || name.isEmpty() ? String.valueOf(uid) : name;
        binds = List.copyOf(binds);
        environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
    }

    /** The common case: no binds, no extra environment, default rlimits, the default syscall filter, no time limits. */
    public InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                      boolean noNewPrivs, int maxSessions, int helloTimeoutMillis) {
        this(uid, gid, root, socket, stateFile, hostname, readyFd, noNewPrivs, maxSessions, helloTimeoutMillis,
                String.valueOf(uid), List.of(), Map.of(), ResourceLimits.DEFAULTS, defaultMaxPtys(maxSessions),
                SyscallFilter.DEFAULT, SessionTimeLimits.NONE);
    }

    /** Every session may have a terminal, and as many ptys again are left for programs inside (tmux, expect). */
    public static int defaultMaxPtys(int maxSessions) {
        return (int) Math.min(2L * maxSessions, Integer.MAX_VALUE);
    }

    /** The init's arguments after its main class: this configuration as one JSON document. */
    public List<String> encode() {
        return List.of(RecordJson.write(this).encode());
    }

    /** The init's side of {@link #encode}: anything else is an {@link InitConfigException} saying what is wrong. */
    public static InitConfig decode(String[] args) throws InitConfigException {
        if (args.length != 1) {
            throw new InitConfigException("expected one argument, the configuration as JSON; got " + args.length);
        }
        try {
            return RecordJson.readComplete(RecordJson.parse(args[0], "the configuration"), InitConfig.class);
        } catch (RecordJson.FormatException e) {
            throw new InitConfigException(e.getMessage());
        }
    }

    /** The init's command line does not make a configuration (it is jaild's to write: a mismatch of versions, or a hand-made start). */
    public static final class InitConfigException extends Exception {
        InitConfigException(String message) {
            super(message);
        }
    }
}

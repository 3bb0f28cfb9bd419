package jail.cli.config;

import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The shape of /etc/jail/jail.yaml (SmallRye Config mapping, prefix {@code jail}). Example:
 * <pre>
 * jail:
 *   containers:
 *     centos:
 *       uid: 61000
 *       root: /home/services/centos
 *       hostname: centos
 *       limits: { memory: 512M, pids: 256, cpu: 1.5 }
 * </pre>
 * Unknown keys are errors (a typo must not silently drop a limit). Environment variables override keys the
 * SmallRye way, e.g. {@code JAIL_CONTAINERS_CENTOS_HOSTNAME=c7}.
 */
public interface JailConfig {

    Map<String, Container> containers();

    interface Container {
        /** The container user's uid; also the host user's. */
        int uid();

        /** Defaults to the user's group in ROOT/etc/passwd. */
        OptionalInt gid();

        /** The prepared root filesystem. */
        Path root();

        /** Hostname inside (UTS namespace); default: the host's. */
        Optional<String> hostname();

        /** Started by {@code jaild start} without names and by {@code jaild run}. */
        @WithDefault("true")
        boolean autostart();

        /** PR_SET_NO_NEW_PRIVS on sessions; false lets setuid programs (sudo) work inside. */
        @WithDefault("true")
        boolean noNewPrivs();

        /** The sessions' syscall filter: default, unconfined, or the absolute path of a profile. */
        @WithDefault("default")
        String seccomp();

        /** Required for uid 0. */
        @WithDefault("false")
        boolean allowRoot();

        Sessions sessions();

        Limits limits();

        Rlimits rlimits();

        /** Extra host directories mounted into the container. */
        List<Bind> binds();

        /** Extra environment for every session (after the login environment; cannot override it). */
        Map<String, String> environment();
    }

    interface Sessions {
        @WithDefault("256")
        int max();

        /** Ptys of the container's devpts instance (sessions' and programs'); default: twice max. */
        OptionalInt ptys();

        /** Seconds a connection has to send its HELLO. */
        @WithDefault("10")
        int helloTimeout();

        /** Sessions end after this long without input or output, e.g. 30m (a warning comes first); default: never. */
        Optional<String> idleTimeout();

        /** Sessions end this long after they started, e.g. 8h (a warning comes first); default: never. */
        Optional<String> maxDuration();

        /** A client's ssh agent (ssh -A) is reachable in its session through SSH_AUTH_SOCK. */
        @WithDefault("true")
        boolean agentForwarding();

        /** How long a terminal session whose client is gone is kept for reattaching, e.g. 1h; 0: hang up at once. */
        Optional<String> detachGrace();

        /** A login without a command that finds detached sessions: ask, always or never reattach the latest. */
        @WithDefault("ask")
        String reattach();
    }

    /** cgroup limits of the whole container (the init included). */
    interface Limits {
        /** e.g. 512M, 2G. */
        Optional<String> memory();

        OptionalInt pids();

        /** CPUs, e.g. 0.5 or 2. */
        Optional<Double> cpu();
    }

    /** Resource limits (setrlimit) of every session. */
    interface Rlimits {
        OptionalInt nofile();

        OptionalInt nproc();

        /** Core file size, e.g. 0 or 100M. */
        Optional<String> core();
    }

    interface Bind {
        Path source();

        /** Path inside the container; defaults to the source path. */
        Optional<String> target();

        @WithDefault("true")
        boolean readOnly();
    }
}

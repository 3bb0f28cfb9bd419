package jail.cli.config;

import jail.namespace.spawn.SyscallFilter;
import jail.session.init.SessionTimeLimits;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One container of the configuration, validated: what jaild needs to start it.
 *
 * @param gid empty: the user's group in ROOT/etc/passwd
 */
public record ContainerDefinition(String name, String source, int uid, OptionalInt gid, Path root, String hostname,
                                  boolean autostart, boolean noNewPrivs, boolean allowRoot, int maxSessions,
                                  int maxPtys, int helloTimeoutSeconds, OptionalLong memoryBytes, OptionalInt pids,
                                  java.util.OptionalDouble cpus, OptionalInt nofile, OptionalInt nproc,
                                  OptionalLong coreBytes, List<Mount> binds, Map<String, String> environment,
                                  SyscallFilter seccomp, SessionTimeLimits timeLimits,
                                  jail.session.init.DetachPolicy detachPolicy) {

    /** An extra bind mount: host {@code source} at {@code target} inside. */
    public record Mount(Path source, String target, boolean readOnly) {
        /** The init's encoding: source|target|ro or rw (paths may not contain '|'). */
        public String encode() {
            return source + "|" + target + "|" + (readOnly ? "ro" : "rw");
        }
    }

    public ContainerDefinition {
        binds = List.copyOf(binds);
        environment = Map.copyOf(environment);
    }
}

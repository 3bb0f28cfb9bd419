package jail.cli.config;

import jail.namespace.BindMount;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;
import jail.session.init.DetachPolicy;
import jail.session.init.SessionTimeLimits;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One container of the configuration, validated: what jaild needs to start it.
 *
 * @param gid   empty: the user's group in ROOT/etc/passwd
 * @param binds host sources as given (jaild resolves them when it starts the container)
 */
public record ContainerDefinition(String name, String source, int uid, OptionalInt gid, Path root, String hostname,
                                  boolean autostart, boolean noNewPrivs, boolean allowRoot, int maxSessions,
                                  int maxPtys, int helloTimeoutSeconds, OptionalLong memoryBytes, OptionalInt pids,
                                  java.util.OptionalDouble cpus, ResourceLimits rlimits, List<BindMount> binds,
                                  Map<String, String> environment, SyscallFilter seccomp, SessionTimeLimits timeLimits,
                                  DetachPolicy detachPolicy, boolean agentForwarding) {

    public ContainerDefinition {
        binds = List.copyOf(binds);
        environment = Map.copyOf(environment);
    }
}

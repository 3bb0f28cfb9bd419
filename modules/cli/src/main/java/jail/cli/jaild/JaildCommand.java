package jail.cli.jaild;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import jail.cli.config.ContainerDefinition;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;
import jail.session.init.DetachPolicy;
import jail.session.init.InitConfig;
import jail.session.init.SessionTimeLimits;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/** {@code jaild -u UID[:GID] -r ROOTDIR}: start a container; subcommands manage running ones. */
@TopCommand
@Command(name = "jaild", mixinStandardHelpOptions = true, version = "jaild 1.0",
        subcommands = {StartCommand.class, ListCommand.class, StatusCommand.class, StopCommand.class,
                RestartCommand.class, RunCommand.class, CheckCommand.class, DelegateCommand.class},
        description = {
                "Starts a container for UID rooted in ROOTDIR: new PID, mount, UTS and IPC",
                "namespaces, the host's network. Its init listens on /run/jail/UID.sock; users",
                "whose login shell is jail land in it. Returns once the container accepts",
                "sessions; prints nothing on success."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:the request failed (the message says why)", "2:bad command line"})
public class JaildCommand implements Callable<Integer> {

    @Inject
    ContainerControl control;

    @Spec
    CommandSpec spec;

    @Option(names = {"-u", "--uid"}, paramLabel = "UID[:GID]", converter = UidGid.Converter.class,
            description = "User the container's sessions run as; GID defaults to the user's group in ROOTDIR/etc/passwd.")
    UidGid user;

    @Option(names = {"-r", "--root"}, paramLabel = "ROOTDIR", description = "Prepared root filesystem of the container.")
    Path root;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Hostname inside the container (default: the host's).")
    String hostname;

    @Option(names = "--allow-root", description = "Allow UID 0: sessions run as root inside, with a reduced "
            + "capability bounding set (see docs/security.md). Refused without this flag.")
    boolean allowRoot;

    @Option(names = "--allow-setuid", description = "Do not set no_new_privs on sessions, so setuid programs "
            + "(su, sudo) work inside. Off by default. ROOTDIR must then lie below a directory of root's with mode 0700.")
    boolean allowSetuid;

    @Option(names = "--seccomp", paramLabel = "default|unconfined|PROFILE", defaultValue = "default",
            description = "Syscall filter of the sessions: the default one, none, or a profile file "
                    + "(see docs/security.md; default: ${DEFAULT-VALUE}).")
    String seccomp;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "256",
            description = "Sessions open at once in this container (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--max-ptys", paramLabel = "N",
            description = "Ptys the container may hold at once, its sessions' included (default: twice --max-sessions).")
    Integer maxPtys;

    @Option(names = "--hello-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time a connection has to introduce itself before it is dropped (default: ${DEFAULT-VALUE}).")
    int helloTimeoutSeconds;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "0",
            description = "End sessions idle (no input, no output) this long, e.g. 30m; a warning comes first (default: none).")
    String idleTimeout;

    @Option(names = "--max-duration", paramLabel = "DURATION", defaultValue = "0",
            description = "End sessions this long after they started, e.g. 8h; a warning comes first (default: none).")
    String maxDuration;

    @Option(names = "--agent-forwarding", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "Forward a client's ssh agent (ssh -A) into its session as SSH_AUTH_SOCK (default: ${DEFAULT-VALUE}).")
    boolean agentForwarding;

    @Option(names = "--detach-grace", paramLabel = "DURATION", defaultValue = "1h",
            description = "Keep a terminal session whose client is gone this long for 'jail attach', e.g. 30m; "
                    + "0 hangs it up at once (default: ${DEFAULT-VALUE}).")
    String detachGrace;

    @Option(names = "--reattach", paramLabel = "ask|always|never", defaultValue = "ask",
            description = "A login that finds detached sessions: offer the latest, take it, or start anew (default: ${DEFAULT-VALUE}).")
    String reattach;

    @Option(names = "--aot-training", hidden = true, description = "Build step: the training run for jaild's AOT cache.")
    boolean aotTraining;

    @Override
    public Integer call() throws Exception {
        if (aotTraining) return JaildAotTraining.run();
        if (user == null && ContainerOwner.rootless()) user = new UidGid(ContainerOwner.uid(), null);
        if (user == null || root == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "both -u UID and -r ROOTDIR are needed to start a container");
        }
        if (ContainerOwner.rootless() && user.uid() != ContainerOwner.uid() && user.uid() != 0) {
            throw new JaildException("only root may start a container for another uid (yours is " + ContainerOwner.uid()
                    + "; leave out -u, or -u 0 for root inside)");
        }
        if (user.uid() == 0 && !allowRoot) {
            throw new JaildException("uid 0 containers run sessions as root inside; pass --allow-root to allow it");
        }
        if (maxSessions < 1) throw new JaildException("--max-sessions must be at least 1");
        if (maxPtys != null && maxPtys < 1) throw new JaildException("--max-ptys must be at least 1");
        if (helloTimeoutSeconds < 1 || helloTimeoutSeconds > 3600) throw new JaildException("--hello-timeout must be 1..3600 seconds");
        SessionTimeLimits timeLimits;
        try {
            timeLimits = new SessionTimeLimits(SessionTimeLimits.parse(idleTimeout), SessionTimeLimits.parse(maxDuration));
        } catch (IllegalArgumentException e) {
            throw new JaildException("--idle-timeout/--max-duration: " + e.getMessage());
        }
        DetachPolicy detach;
        try {
            detach = new DetachPolicy(SessionTimeLimits.parse(detachGrace),
                    DetachPolicy.Reattach.parse(reattach));
        } catch (IllegalArgumentException e) {
            throw new JaildException("--detach-grace/--reattach: " + e.getMessage());
        }
        SyscallFilter filter;
        try {
            filter = SyscallFilter.of(seccomp);
        } catch (SyscallFilter.ProfileException e) {
            throw new JaildException("--seccomp: " + e.getMessage());
        }
        // The same definition a configuration file makes, through the same front door.
        control.start(new ContainerDefinition(String.valueOf(user.uid()), "command line", user.uid(),
                user.gid() != null ? OptionalInt.of(user.gid()) : OptionalInt.empty(), root,
                hostname == null ? "" : hostname, true, !allowSetuid, allowRoot, maxSessions,
                maxPtys != null ? maxPtys : InitConfig.defaultMaxPtys(maxSessions), helloTimeoutSeconds,
                OptionalLong.empty(), OptionalInt.empty(), OptionalDouble.empty(), ResourceLimits.DEFAULTS, List.of(), Map.of(),
                filter, timeLimits, detach, agentForwarding));
        return ExitCodes.OK;
    }
}

package jail.namespace.spawn;

import jail.namespace.Credentials;
import jail.namespace.ResourceLimits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What jail-exec makes of the process that becomes a session before it runs the program: the user's
 * credentials, no_new_privs, resource limits, the syscall filter and the working directory. The order of the
 * steps is jail-exec's (src/main/c/jail-exec.c, {@code confine()}); this is only the request.
 *
 * @param home        the directory to start in (as the user); "/" when it cannot be entered
 * @param oomScoreAdj the session's oom_score_adj: 0, or higher where the init cannot be shielded from the OOM
 *                    killer (a rootless container), so that a hog inside is picked before the init
 */
public record Confinement(Credentials credentials, boolean noNewPrivs, ResourceLimits limits, SyscallFilter filter,
                          String home, int oomScoreAdj) {

    public Confinement(Credentials credentials, boolean noNewPrivs, ResourceLimits limits, SyscallFilter filter, String home) {
        this(credentials, noNewPrivs, limits, filter, home, 0);
    }

    /** jail-exec's options, up to and excluding the "--" that precedes the program. */
    public List<String> helperArguments() {
        List<String> args = new ArrayList<>(List.of(
                "--uid", String.valueOf(credentials.uid()), "--gid", String.valueOf(credentials.gid())));
        int[] groups = credentials.groups();
        if (groups.length > 0) {
            args.add("--groups");
            args.add(Arrays.stream(groups).mapToObj(String::valueOf).collect(Collectors.joining(",")));
        }
        if (noNewPrivs) args.add("--no-new-privs");
        args.addAll(limits.helperArguments());
        if (filter.confines()) {
            args.add("--seccomp-deny");
            args.add(String.join(",", filter.denied()));
        }
        if (oomScoreAdj != 0) {
            args.add("--oom-score-adj");
            args.add(String.valueOf(oomScoreAdj));
        }
        args.add("--chdir");
        args.add(home);
        return args;
    }
}

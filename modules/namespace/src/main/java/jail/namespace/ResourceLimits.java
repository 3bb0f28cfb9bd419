package jail.namespace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource limits of every session: the configured ones, and otherwise those of a fresh login on a
 * systemd host, never the init's (a JVM raises its own open-file limit to the hard limit, and whatever the
 * init was started with is not the session's business). jail-exec sets them before the program runs; a limit
 * only ever comes down there (at most the inherited hard limit), so no privilege is needed and none is used.
 *
 * @param nofile RLIMIT_NOFILE, soft and hard; -1 for the login default (likewise nproc, core)
 */
public record ResourceLimits(long nofile, long nproc, long core) {
    public static final ResourceLimits DEFAULTS = new ResourceLimits(-1, -1, -1);

    private static final String UNLIMITED = "unlimited";

    /** systemd's defaults for a login (and Debian's): what a session gets when nothing is configured. */
    private static final Map<String, String> LOGIN = Map.of(
            "nofile", "1024:524288",
            "core", "0:" + UNLIMITED,
            "memlock", "8388608:8388608",
            "stack", "8388608:" + UNLIMITED,
            "nice", "0:0",
            "rtprio", "0:0");

    /** jail-exec's {@code --rlimit NAME=SOFT:HARD} arguments, sorted by name. */
    public List<String> helperArguments() {
        Map<String, String> limits = new LinkedHashMap<>();
        LOGIN.keySet().stream().sorted().forEach(name -> limits.put(name, LOGIN.get(name)));
        if (nofile >= 0) limits.put("nofile", nofile + ":" + nofile);
        if (nproc >= 0) limits.put("nproc", nproc + ":" + nproc);
        if (core >= 0) limits.put("core", core + ":" + core);
        List<String> args = new ArrayList<>();
        limits.keySet().stream().sorted().forEach(name -> {
            args.add("--rlimit");
            args.add(name + "=" + limits.get(name));
        });
        return args;
    }
}

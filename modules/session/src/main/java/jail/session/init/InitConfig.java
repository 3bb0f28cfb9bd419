package jail.session.init;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the init is told on its command line by jaild (which has validated all of it already).
 *
 * @param readyFd fd on which the init reports "READY" or "ERROR message" once, then closes it
 */
public record InitConfig(int uid, int gid, Path root, Path socket, Path stateFile, String hostname, int readyFd,
                         boolean noNewPrivs, int maxSessions, int helloTimeoutMillis) {

    public static InitConfig parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("bad init argument: " + a);
            m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        return new InitConfig(
                Integer.parseInt(require(m, "uid")),
                Integer.parseInt(require(m, "gid")),
                Path.of(require(m, "root")),
                Path.of(require(m, "socket")),
                Path.of(require(m, "state")),
                m.getOrDefault("hostname", ""),
                Integer.parseInt(m.getOrDefault("ready-fd", "-1")),
                Boolean.parseBoolean(m.getOrDefault("no-new-privs", "true")),
                Integer.parseInt(m.getOrDefault("max-sessions", "256")),
                Integer.parseInt(m.getOrDefault("hello-timeout-ms", "10000")));
    }

    public String[] toArgs() {
        return new String[]{"--uid=" + uid, "--gid=" + gid, "--root=" + root, "--socket=" + socket,
                "--state=" + stateFile, "--hostname=" + hostname, "--ready-fd=" + readyFd,
                "--no-new-privs=" + noNewPrivs, "--max-sessions=" + maxSessions,
                "--hello-timeout-ms=" + helloTimeoutMillis};
    }

    private static String require(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalArgumentException("missing init argument --" + key);
        return v;
    }
}

package jail.session.container;

import java.nio.file.Path;

/**
 * Everything that defines one container, however it was given (jaild's flags or a configuration file).
 *
 * @param noNewPrivs   PR_SET_NO_NEW_PRIVS for every session (default on: setuid programs cannot gain privileges)
 * @param maxSessions  sessions open at once; more are refused with a clear error
 * @param helloTimeoutMillis how long a connection may take to send its HELLO
 */
public record ContainerSpec(int uid, int gid, Path root, String hostname, boolean noNewPrivs, int maxSessions,
                            int helloTimeoutMillis) {
    public static final int DEFAULT_MAX_SESSIONS = 256;
    public static final int DEFAULT_HELLO_TIMEOUT_MILLIS = 10_000;

    public ContainerSpec {
        if (maxSessions < 1) throw new IllegalArgumentException("max sessions must be at least 1");
        if (helloTimeoutMillis < 1) throw new IllegalArgumentException("hello timeout must be positive");
        hostname = hostname == null ? "" : hostname;
    }

    public static ContainerSpec of(int uid, int gid, Path root) {
        return new ContainerSpec(uid, gid, root, "", true, DEFAULT_MAX_SESSIONS, DEFAULT_HELLO_TIMEOUT_MILLIS);
    }
}

package jail.session.protocol;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * The init's answer to a STATUS hello, a versioned JSON document (docs/protocol.md, STATUS). The init builds
 * it, jaild reads it; {@link #toJson} and {@link #fromJson} are the only encoding and decoding.
 * <p>
 * Adding a field is adding a component here (and filling it in the init): the codec maps every component by
 * its name, an older init's document simply lacks it (0, false, null or an empty list), and an older jaild
 * ignores it. {@link #VERSION} changes only when a field changes meaning or goes away.
 * <p>
 * Text fields carry what a container user chose (user names, commands) as it is: whoever prints them escapes
 * them.
 *
 * @param sessionCount the sessions holding a slot (those still being spawned included)
 * @param reaped       processes the init's reaper has collected since it started
 * @param threads      live threads of the init's JVM
 */
public record ContainerStatus(int uid, int gid, String root, Instant started, int sessionCount, long reaped,
                              int threads, List<Session> sessions) {
    /** The version this code writes and reads. Before JSON (version 1), STATUS was {@code key=value} text. */
    public static final int VERSION = 1;

    public ContainerStatus {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    /**
     * One live session.
     *
     * @param origin  "ssh CLIENT_IP CLIENT_PORT" (from the client's SSH_CONNECTION) or "local"
     * @param mode    "terminal" or "pipes"
     * @param tty     the session's pty inside the container ("/dev/pts/N"), null in pipes mode
     * @param command the command it runs, null for a login shell
     * @param cpuNanos        CPU time of its processes so far, from its own cgroup; null when it has none
     * @param peakMemoryBytes the most memory charged to its cgroup at once; null when it has none
     * @param detached        whether it has no client and waits for one to attach (docs/protocol.md, DETACH)
     */
    public record Session(int pid, String user, int uid, String origin, Instant started, String mode, String tty,
                          String command, Long cpuNanos, Long peakMemoryBytes, boolean detached) {
    }

    public String toJson() {
        return RecordJson.write(this).put("version", VERSION).encode();
    }

    /** Reads an init's answer; a document of another version, or not one at all, is a {@link StatusFormatException}. */
    public static ContainerStatus fromJson(String text) throws StatusFormatException {
        String fix = ": restart the container to run this version's init";
        try {
            JsonObject o = RecordJson.parse(text, "the init's status");
            Object v = o.getValue("version");
            if (!(v instanceof Number n) || n.intValue() != VERSION) {
                throw new StatusFormatException("the init's status is version " + (v == null ? "(none)" : v) + ", this jaild reads version " + VERSION + fix);
            }
            return RecordJson.read(o, ContainerStatus.class);
        } catch (RecordJson.FormatException e) {
            throw new StatusFormatException(e.getMessage() + (e.getMessage().endsWith("not a JSON object")
                    ? " (an init of jail before status version " + VERSION + "?)" + fix : ""));
        }
    }
}

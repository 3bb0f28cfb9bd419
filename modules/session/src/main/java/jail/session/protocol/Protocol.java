package jail.session.protocol;

/** Constants of the wire protocol (docs/protocol.md). */
public final class Protocol {
    private Protocol() {}

    public static final byte[] MAGIC = {'J', 'A', 'I', 'L'};
    /** The newest version this side speaks: 2 added detached sessions (LIST, ATTACH, KILL, DETACH). */
    public static final int VERSION = 2;
    /** The oldest version an init still accepts: a request states the lowest version it needs, so a new client
     *  still opens ordinary sessions in a container whose init predates version 2. */
    public static final int MIN_VERSION = 1;
    /** type (1 byte) + payload length (4 bytes, big-endian). */
    public static final int HEADER_SIZE = 5;
    /** Largest payload a peer may send; anything bigger closes the connection with an error. */
    public static final int MAX_PAYLOAD = 128 * 1024;
    /** Largest HELLO (and largest frame the init buffers before a HELLO was accepted). */
    public static final int MAX_HELLO = 16 * 1024;
    /** Data is sent in chunks of at most this size. */
    public static final int DATA_CHUNK = 64 * 1024;
    /** Largest data of one AGENT_DATA frame (after its 4-byte channel id). */
    public static final int AGENT_CHUNK = 16 * 1024;
    /** Unacknowledged AGENT_DATA bytes a sender may have out per channel (sshd's agent messages are at most 256 KiB;
     *  they just take several windows). */
    public static final int AGENT_WINDOW = 64 * 1024;
    /** Channels open at once per session; more connections wait in the listening socket's backlog. */
    public static final int AGENT_CHANNELS = 8;
}

package jail.session.protocol;

/** Frame types of protocol versions 1 and 2 (DETACH, DETACHED, SESSIONS); docs/protocol.md is the reference. */
public enum FrameType {
    HELLO(0x01),
    WELCOME(0x02),
    STDIN(0x03),
    STDIN_EOF(0x04),
    STDOUT(0x05),
    STDERR(0x06),
    RESIZE(0x07),
    SIGNAL(0x08),
    EXIT(0x09),
    ERROR(0x0A),
    STATUS(0x0B),
    /** The agent channel frames: sent only on a connection whose HELLO had the agent flag. */
    AGENT_OPEN(0x0C),
    AGENT_DATA(0x0D),
    AGENT_ACK(0x0E),
    AGENT_CLOSE(0x0F),
    /** Detach and attach (protocol version 2). */
    DETACH(0x10),
    DETACHED(0x11),
    SESSIONS(0x12);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) BY_CODE[t.code] = t;
    }

    public final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type for a wire code, or null if this version does not know it. */
    public static FrameType of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}

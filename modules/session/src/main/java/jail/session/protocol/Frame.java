package jail.session.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One frame: a type and its payload. Encoding is header (type, length) + payload. */
public record Frame(FrameType type, byte[] payload) {

    public static Frame of(FrameType type) {
        return new Frame(type, new byte[0]);
    }

    public static Frame data(FrameType type, byte[] bytes, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(bytes, off, copy, 0, len);
        return new Frame(type, copy);
    }

    public static Frame resize(int rows, int cols) {
        return new Frame(FrameType.RESIZE, ByteBuffer.allocate(4).putShort((short) rows).putShort((short) cols).array());
    }

    public static Frame signal(int signal) {
        return new Frame(FrameType.SIGNAL, new byte[]{(byte) signal});
    }

    public static Frame exit(boolean signaled, int value) {
        return new Frame(FrameType.EXIT, new byte[]{(byte) (signaled ? 1 : 0), (byte) value});
    }

    public static Frame error(ErrorCode code, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[1 + text.length];
        payload[0] = (byte) code.code;
        System.arraycopy(text, 0, payload, 1, text.length);
        return new Frame(FrameType.ERROR, payload);
    }

    public static Frame text(FrameType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Frame welcome(int version) {
        return new Frame(FrameType.WELCOME, ByteBuffer.allocate(2).putShort((short) version).array());
    }

    /** AGENT_OPEN or AGENT_CLOSE of a channel. */
    public static Frame channel(FrameType type, int channel) {
        return new Frame(type, ByteBuffer.allocate(4).putInt(channel).array());
    }

    /** AGENT_DATA: the channel, then the bytes. */
    public static Frame channelData(int channel, byte[] bytes, int off, int len) {
        return new Frame(FrameType.AGENT_DATA, ByteBuffer.allocate(4 + len).putInt(channel).put(bytes, off, len).array());
    }

    /** AGENT_ACK: {@code bytes} of the channel's data were delivered, so the sender may send that much more. */
    public static Frame ack(int channel, int bytes) {
        return new Frame(FrameType.AGENT_ACK, ByteBuffer.allocate(8).putInt(channel).putInt(bytes).array());
    }

    /** The channel of an AGENT_* frame. */
    public int channelId() {
        return ByteBuffer.wrap(payload).getInt(0);
    }

    /** The byte count of an AGENT_ACK. */
    public int ackBytes() {
        return ByteBuffer.wrap(payload).getInt(4);
    }

    public static Frame detached(int sessionId) {
        return new Frame(FrameType.DETACHED, ByteBuffer.allocate(4).putInt(sessionId).array());
    }

    public byte[] encode() {
        return ByteBuffer.allocate(Protocol.HEADER_SIZE + payload.length)
                .put((byte) type.code).putInt(payload.length).put(payload).array();
    }

    /** Writes the header for a payload of {@code length} bytes into {@code header} (5 bytes). */
    public static void header(FrameType type, int length, byte[] header) {
        header[0] = (byte) type.code;
        header[1] = (byte) (length >>> 24);
        header[2] = (byte) (length >>> 16);
        header[3] = (byte) (length >>> 8);
        header[4] = (byte) length;
    }

    // --- payload readers for the fixed-layout frames ---

    public int resizeRows() {
        return Short.toUnsignedInt(ByteBuffer.wrap(payload).getShort(0));
    }

    public int resizeCols() {
        return Short.toUnsignedInt(ByteBuffer.wrap(payload).getShort(2));
    }

    public boolean exitSignaled() {
        return payload[0] != 0;
    }

    public int exitValue() {
        return Byte.toUnsignedInt(payload[1]);
    }

    public int detachedSession() {
        return ByteBuffer.wrap(payload).getInt(0);
    }

    public int welcomeVersion() {
        return Short.toUnsignedInt(ByteBuffer.wrap(payload).getShort(0));
    }

    public int signalNumber() {
        return Byte.toUnsignedInt(payload[0]);
    }

    public ErrorCode errorCode() {
        return ErrorCode.of(payload.length > 0 ? payload[0] : 0);
    }

    public String errorMessage() {
        return payload.length > 1 ? new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8) : "";
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Checks that a fixed-layout frame has the size its type requires. */
    public void checkLayout() throws ProtocolException {
        checkLayout(type, payload.length);
    }

    /** Checks that a frame of {@code type} may carry {@code length} bytes (for frames read in place). */
    public static void checkLayout(FrameType type, int length) throws ProtocolException {
        int want = switch (type) {
            case RESIZE -> 4;
            case SIGNAL -> 1;
            case EXIT, WELCOME -> 2;
            case STDIN_EOF, DETACH -> 0;
            case AGENT_OPEN, AGENT_CLOSE, DETACHED -> 4;
            case AGENT_ACK -> 8;
            default -> -1;
        };
        if (want >= 0 && length != want) {
            throw new ProtocolException(type + " frame must carry " + want + " bytes, not " + length);
        }
        if (type == FrameType.AGENT_DATA && (length < 4 || length > 4 + Protocol.AGENT_CHUNK)) {
            throw new ProtocolException("AGENT_DATA frame must carry 4 to " + (4 + Protocol.AGENT_CHUNK) + " bytes, not "
                    + length);
        }
        if (type == FrameType.ERROR && length == 0) {
            throw new ProtocolException("ERROR frame without a code");
        }
    }
}

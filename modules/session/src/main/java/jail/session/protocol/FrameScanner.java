package jail.session.protocol;

import java.nio.ByteBuffer;

/**
 * Reads whole frames in place from a buffer that a socket fills, without copying payloads: each frame's
 * payload is handed out as a slice of the buffer (valid only during the call). The client uses it on its bulk
 * path, so stdout data goes from the socket buffer straight to its output channel. Header rules are
 * {@link FrameDecoder}'s.
 */
public final class FrameScanner {
    /** Receives one frame; {@code payload} is a read-only view into the scanner's buffer. */
    public interface Handler {
        void frame(FrameType type, ByteBuffer payload) throws ProtocolException, java.io.IOException;
    }

    private FrameScanner() {}

    /**
     * Hands out every complete frame between {@code buf}'s position and limit, and leaves the position at the
     * first byte of an incomplete one (the caller compacts and reads more). The buffer must hold at least
     * {@link Protocol#HEADER_SIZE} + {@link Protocol#MAX_PAYLOAD} bytes.
     */
    public static void scan(ByteBuffer buf, Handler handler) throws ProtocolException, java.io.IOException {
        while (buf.remaining() >= Protocol.HEADER_SIZE) {
            int start = buf.position();
            FrameType type = FrameDecoder.checkHeader(Byte.toUnsignedInt(buf.get(start)),
                    Integer.toUnsignedLong(buf.getInt(start + 1)), Protocol.MAX_PAYLOAD);
            int length = buf.getInt(start + 1);
            if (buf.remaining() < Protocol.HEADER_SIZE + length) return;
            ByteBuffer payload = buf.slice(start + Protocol.HEADER_SIZE, length).asReadOnlyBuffer();
            buf.position(start + Protocol.HEADER_SIZE + length);
            handler.frame(type, payload);
        }
    }
}

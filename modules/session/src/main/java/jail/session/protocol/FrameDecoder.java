package jail.session.protocol;

import java.util.function.Consumer;

/**
 * Incremental frame parser: feed it bytes as they arrive, in any split, and it hands out whole frames.
 * An unknown type or an oversized length is rejected from the header alone, before any payload is buffered.
 */
public final class FrameDecoder {
    private final Consumer<Frame> sink;
    private final byte[] header = new byte[Protocol.HEADER_SIZE];
    private int headerFill;
    private FrameType type;
    private byte[] payload;
    private int payloadFill;
    private boolean failed;
    private int maxPayload = Protocol.MAX_PAYLOAD;

    public FrameDecoder(Consumer<Frame> sink) {
        this.sink = sink;
    }

    /**
     * Lowers (or restores) the payload limit; a server keeps it small until the HELLO is accepted, so that an
     * unauthenticated connection cannot make it buffer much.
     */
    public FrameDecoder maxPayload(int bytes) {
        maxPayload = Math.min(bytes, Protocol.MAX_PAYLOAD);
        return this;
    }

    public void feed(byte[] bytes, int off, int len) throws ProtocolException {
        if (failed) throw new ProtocolException("connection already failed");
        int end = off + len;
        while (off < end) {
            if (payload == null) {
                int n = Math.min(Protocol.HEADER_SIZE - headerFill, end - off);
                System.arraycopy(bytes, off, header, headerFill, n);
                headerFill += n;
                off += n;
                if (headerFill < Protocol.HEADER_SIZE) return;
                startPayload();
            } else {
                int n = Math.min(payload.length - payloadFill, end - off);
                System.arraycopy(bytes, off, payload, payloadFill, n);
                payloadFill += n;
                off += n;
            }
            if (payload != null && payloadFill == payload.length) {
                Frame frame = new Frame(type, payload);
                payload = null;
                headerFill = 0;
                payloadFill = 0;
                try {
                    frame.checkLayout();
                } catch (ProtocolException e) {
                    failed = true;
                    throw e;
                }
                sink.accept(frame);
            }
        }
    }

    private void startPayload() throws ProtocolException {
        long length = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        try {
            type = checkHeader(Byte.toUnsignedInt(header[0]), length, maxPayload);
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
        payload = new byte[(int) length];
    }

    /** The header rules, from the header alone: a known type and a payload within the limit. */
    static FrameType checkHeader(int code, long length, int maxPayload) throws ProtocolException {
        FrameType t = FrameType.of(code);
        if (t == null) throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(code));
        if (length > maxPayload) {
            throw new ProtocolException(t + " frame of " + length + " bytes exceeds the limit of " + maxPayload);
        }
        return t;
    }

    /** True between frames: no partial header or payload is buffered. */
    public boolean idle() {
        return payload == null && headerFill == 0;
    }
}

package jail.session.protocol;

/**
 * A frame's 5-byte header, read on its own: the client reads each header, then moves exactly {@code length}
 * payload bytes (by splice, for output). The rules are {@link FrameDecoder}'s: a known type, a length within
 * the limit.
 */
public record FrameHeader(FrameType type, int length) {

    public static FrameHeader parse(byte[] header, int maxPayload) throws ProtocolException {
        long length = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        return new FrameHeader(FrameDecoder.checkHeader(Byte.toUnsignedInt(header[0]), length, maxPayload), (int) length);
    }
}

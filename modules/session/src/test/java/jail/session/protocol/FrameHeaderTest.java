package jail.session.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FrameHeaderTest {

    private static byte[] header(FrameType type, int length) {
        byte[] h = new byte[Protocol.HEADER_SIZE];
        Frame.header(type, length, h);
        return h;
    }

    @Test
    void readsTypeAndLengthAsEncoded() throws Exception {
        for (int length : new int[]{0, 1, 255, 256, 65535, 65536, Protocol.MAX_PAYLOAD}) {
            assertEquals(new FrameHeader(FrameType.STDOUT, length), FrameHeader.parse(header(FrameType.STDOUT, length), Protocol.MAX_PAYLOAD));
        }
        byte[] exit = Frame.exit(false, 7).encode();
        assertEquals(new FrameHeader(FrameType.EXIT, 2), FrameHeader.parse(exit, Protocol.MAX_PAYLOAD));
    }

    @Test
    void refusesAnUnknownTypeAndATooLongPayloadFromTheHeaderAlone() {
        byte[] unknown = header(FrameType.STDOUT, 1);
        unknown[0] = 0x7f;
        assertEquals("unknown frame type 0x7f",
                assertThrows(ProtocolException.class, () -> FrameHeader.parse(unknown, Protocol.MAX_PAYLOAD)).getMessage());
        byte[] huge = {(byte) FrameType.STDERR.code, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertEquals("STDERR frame of 4294967295 bytes exceeds the limit of 131072",
                assertThrows(ProtocolException.class, () -> FrameHeader.parse(huge, Protocol.MAX_PAYLOAD)).getMessage());
    }
}

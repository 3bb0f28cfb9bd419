package jail.session.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FrameScannerTest {

    private static List<String> scanAll(ByteBuffer buf) throws Exception {
        List<String> seen = new ArrayList<>();
        FrameScanner.scan(buf, (type, payload) -> {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            seen.add(type + ":" + new String(b, StandardCharsets.UTF_8));
        });
        return seen;
    }

    @Test
    void handsOutWholeFramesAndStopsAtAPartialOne() throws Exception {
        byte[] a = Frame.text(FrameType.STDOUT, "hello").encode();
        byte[] b = Frame.text(FrameType.STDERR, "oops").encode();
        byte[] c = Frame.exit(false, 7).encode();
        ByteBuffer buf = ByteBuffer.allocateDirect(Protocol.MAX_PAYLOAD + Protocol.HEADER_SIZE);
        buf.put(a).put(b).put(c, 0, 3).flip();
        assertEquals(List.of("STDOUT:hello", "STDERR:oops"), scanAll(buf));
        assertEquals(3, buf.remaining(), "the partial EXIT header stays for the next read");
        buf.compact().put(c, 3, c.length - 3).flip();
        List<String> rest = new ArrayList<>();
        FrameScanner.scan(buf, (type, payload) -> rest.add(type + ":" + payload.remaining()));
        assertEquals(List.of("EXIT:2"), rest);
        assertFalse(buf.hasRemaining());
    }

    @Test
    void aPayloadIsAViewNotACopy() throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(Frame.text(FrameType.STDOUT, "abc").encode());
        FrameScanner.scan(buf, (type, payload) -> {
            assertTrue(payload.isReadOnly());
            assertEquals(3, payload.remaining());
            assertEquals('a', payload.get(0));
        });
    }

    @Test
    void rejectsWhatTheDecoderRejects() {
        ByteBuffer unknown = ByteBuffer.wrap(new byte[]{(byte) 0xff, 0, 0, 0, 0});
        assertEquals("unknown frame type 0xff",
                assertThrows(ProtocolException.class, () -> scanAll(unknown)).getMessage());
        ByteBuffer big = ByteBuffer.allocate(5).put((byte) FrameType.STDOUT.code).putInt(Protocol.MAX_PAYLOAD + 1).flip();
        assertEquals("STDOUT frame of 131073 bytes exceeds the limit of 131072",
                assertThrows(ProtocolException.class, () -> scanAll(big)).getMessage());
    }
}

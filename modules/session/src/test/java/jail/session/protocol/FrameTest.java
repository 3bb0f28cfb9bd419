package jail.session.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameTest {

    /** Encodes, then decodes through a real FrameDecoder. */
    private static Frame viaWire(Frame f) throws ProtocolException {
        List<Frame> out = new ArrayList<>();
        byte[] bytes = f.encode();
        new FrameDecoder(out::add).feed(bytes, 0, bytes.length);
        assertEquals(1, out.size());
        assertEquals(f.type(), out.getFirst().type());
        assertArrayEquals(f.payload(), out.getFirst().payload());
        return out.getFirst();
    }

    @Test
    void encodeIsHeaderThenPayload() {
        byte[] bytes = Frame.text(FrameType.STDOUT, "hi").encode();
        assertArrayEquals(new byte[]{0x05, 0, 0, 0, 2, 'h', 'i'}, bytes);
        assertArrayEquals(new byte[]{0x04, 0, 0, 0, 0}, Frame.of(FrameType.STDIN_EOF).encode());
    }

    @Test
    void wireCodesOfEveryType() {
        int[] codes = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12};
        FrameType[] types = {FrameType.HELLO, FrameType.WELCOME, FrameType.STDIN, FrameType.STDIN_EOF, FrameType.STDOUT,
                FrameType.STDERR, FrameType.RESIZE, FrameType.SIGNAL, FrameType.EXIT, FrameType.ERROR, FrameType.STATUS,
                FrameType.AGENT_OPEN, FrameType.AGENT_DATA, FrameType.AGENT_ACK, FrameType.AGENT_CLOSE,
                FrameType.DETACH, FrameType.DETACHED, FrameType.SESSIONS};
        assertEquals(types.length, FrameType.values().length);
        for (int i = 0; i < codes.length; i++) assertEquals(codes[i], types[i].code, types[i].name());
    }

    @Test
    void resize() throws Exception {
        Frame f = Frame.resize(24, 80);
        assertArrayEquals(new byte[]{0, 24, 0, 80, }, f.payload());
        Frame back = viaWire(f);
        assertEquals(24, back.resizeRows());
        assertEquals(80, back.resizeCols());
    }

    @Test
    void resizeIsUnsignedSixteenBit() throws Exception {
        Frame back = viaWire(Frame.resize(65535, 40000));
        assertEquals(65535, back.resizeRows());
        assertEquals(40000, back.resizeCols());
        assertArrayEquals(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0x9C, 0x40}, back.payload());
    }

    @Test
    void signal() throws Exception {
        Frame f = Frame.signal(15);
        assertArrayEquals(new byte[]{15}, f.payload());
        assertEquals(15, viaWire(f).signalNumber());
        assertEquals(200, viaWire(Frame.signal(200)).signalNumber());
    }

    @Test
    void exitWithCode() throws Exception {
        Frame f = Frame.exit(false, 7);
        assertArrayEquals(new byte[]{0, 7}, f.payload());
        Frame back = viaWire(f);
        assertFalse(back.exitSignaled());
        assertEquals(7, back.exitValue());
        assertEquals(255, viaWire(Frame.exit(false, 255)).exitValue());
    }

    @Test
    void exitBySignal() throws Exception {
        Frame f = Frame.exit(true, 9);
        assertArrayEquals(new byte[]{1, 9}, f.payload());
        Frame back = viaWire(f);
        assertTrue(back.exitSignaled());
        assertEquals(9, back.exitValue());
        // Any non-zero byte means "signaled" on reading.
        assertTrue(new Frame(FrameType.EXIT, new byte[]{(byte) 0x80, 1}).exitSignaled());
    }

    @Test
    void errorCodeAndMessage() throws Exception {
        Frame f = Frame.error(ErrorCode.LIMIT, "too many sessions");
        assertEquals(4, f.payload()[0]);
        assertEquals("too many sessions", new String(f.payload(), 1, f.payload().length - 1, StandardCharsets.UTF_8));
        Frame back = viaWire(f);
        assertEquals(ErrorCode.LIMIT, back.errorCode());
        assertEquals("too many sessions", back.errorMessage());
    }

    @Test
    void errorWithUtf8AndEmptyMessage() throws Exception {
        Frame back = viaWire(Frame.error(ErrorCode.DENIED, "zugriff verweigert: äöü"));
        assertEquals(ErrorCode.DENIED, back.errorCode());
        assertEquals("zugriff verweigert: äöü", back.errorMessage());
        Frame empty = viaWire(Frame.error(ErrorCode.SPAWN_FAILED, ""));
        assertEquals(1, empty.payload().length);
        assertEquals(ErrorCode.SPAWN_FAILED, empty.errorCode());
        assertEquals("", empty.errorMessage());
    }

    @Test
    void everyErrorCodeRoundTrips() throws Exception {
        int[] expected = {1, 2, 3, 4, 5};
        ErrorCode[] codes = {ErrorCode.PROTOCOL, ErrorCode.DENIED, ErrorCode.SPAWN_FAILED, ErrorCode.LIMIT, ErrorCode.INTERNAL};
        for (int i = 0; i < codes.length; i++) {
            assertEquals(expected[i], codes[i].code);
            assertEquals(codes[i], ErrorCode.of(expected[i]));
            assertEquals(codes[i], viaWire(Frame.error(codes[i], "m")).errorCode());
        }
    }

    @Test
    void unknownErrorCodesReadAsInternal() {
        assertEquals(ErrorCode.INTERNAL, ErrorCode.of(0));
        assertEquals(ErrorCode.NO_SESSION, ErrorCode.of(6));
        assertEquals(ErrorCode.INTERNAL, ErrorCode.of(7));
        assertEquals(ErrorCode.INTERNAL, new Frame(FrameType.ERROR, new byte[]{(byte) 0xC8, 'x'}).errorCode());
        assertEquals(ErrorCode.INTERNAL, new Frame(FrameType.ERROR, new byte[0]).errorCode());
        assertEquals("", new Frame(FrameType.ERROR, new byte[0]).errorMessage());
    }

    @Test
    void welcome() throws Exception {
        Frame f = Frame.welcome(Protocol.VERSION);
        assertEquals(FrameType.WELCOME, f.type());
        assertArrayEquals(new byte[]{0, 2}, f.payload());
        assertEquals(2, f.welcomeVersion());
        viaWire(f);
        assertArrayEquals(new byte[]{0x02, 0, 0, 0, 2, 0, 2}, f.encode());
    }

    @Test
    void detachAndDetached() throws Exception {
        assertArrayEquals(new byte[]{0x10, 0, 0, 0, 0}, Frame.of(FrameType.DETACH).encode());
        Frame d = Frame.detached(258);
        assertArrayEquals(new byte[]{0x11, 0, 0, 0, 4, 0, 0, 1, 2}, d.encode());
        assertEquals(258, viaWire(d).detachedSession());
        ProtocolException e = assertThrows(ProtocolException.class, () -> new Frame(FrameType.DETACH, new byte[1]).checkLayout());
        assertEquals("DETACH frame must carry 0 bytes, not 1", e.getMessage());
        ProtocolException e2 = assertThrows(ProtocolException.class, () -> new Frame(FrameType.DETACHED, new byte[2]).checkLayout());
        assertEquals("DETACHED frame must carry 4 bytes, not 2", e2.getMessage());
    }

    @Test
    void textAndData() throws Exception {
        Frame status = viaWire(Frame.text(FrameType.STATUS, "uid=1000\nsessions=2\n"));
        assertEquals("uid=1000\nsessions=2\n", status.text());
        byte[] buf = {9, 8, 7, 6, 5};
        Frame d = Frame.data(FrameType.STDIN, buf, 1, 3);
        assertArrayEquals(new byte[]{8, 7, 6}, d.payload());
        buf[1] = 0;
        assertEquals(8, d.payload()[0], "data() copies the bytes");
        assertArrayEquals(new byte[0], Frame.data(FrameType.STDIN, buf, 5, 0).payload());
    }
}

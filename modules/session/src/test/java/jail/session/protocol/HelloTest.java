package jail.session.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelloTest {

    private static Hello sample() {
        return new Hello(Protocol.VERSION, Hello.Mode.TERMINAL, true, 50, 132, "ls -l 'dir'", "xterm-256color",
                List.of("LANG=de_DE.UTF-8", "LC_ALL=C", "SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22"));
    }

    private static Hello roundTrip(Hello h) throws ProtocolException {
        return Hello.parse(h.toFrame());
    }

    /** Builds a HELLO payload by hand, field by field, as docs/protocol.md describes it. */
    private static final class Builder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Builder bytes(byte... b) {
            out.writeBytes(b);
            return this;
        }

        Builder u8(int v) {
            out.write(v);
            return this;
        }

        Builder u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Builder u32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        Builder string(byte[] s) {
            return u32(s.length).bytes(s);
        }

        Builder string(String s) {
            return string(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Magic, version, mode, flags, rows, cols: everything before has-command. */
        static Builder head(int version, int mode) {
            return new Builder().bytes(Protocol.MAGIC).u16(version).u8(mode).u8(0).u16(24).u16(80);
        }

        Frame frame() {
            return new Frame(FrameType.HELLO, out.toByteArray());
        }
    }

    private static void assertRejected(Frame frame, String message) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.parse(frame));
        assertEquals(message, e.getMessage());
    }

    @Test
    void roundTripOfEveryField() throws Exception {
        Hello h = sample();
        Hello back = roundTrip(h);
        assertEquals(h, back);
        assertEquals(2, back.version());
        assertEquals(Hello.Mode.TERMINAL, back.mode());
        assertTrue(back.login());
        assertEquals(50, back.rows());
        assertEquals(132, back.cols());
        assertEquals("ls -l 'dir'", back.command());
        assertEquals("xterm-256color", back.term());
        assertEquals(List.of("LANG=de_DE.UTF-8", "LC_ALL=C", "SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22"), back.env());
    }

    @Test
    void roundTripOfEveryMode() throws Exception {
        for (Hello.Mode mode : Hello.Mode.values()) {
            Hello h = new Hello(Protocol.VERSION, mode, false, 1, 2, mode == Hello.Mode.KILL ? "7" : null, "", List.of());
            assertEquals(h, roundTrip(h));
        }
    }

    @Test
    void aRequestStatesTheLowestVersionItNeeds() throws Exception {
        assertEquals(1, Hello.versionFor(Hello.Mode.TERMINAL));
        assertEquals(1, Hello.versionFor(Hello.Mode.PIPES));
        assertEquals(1, Hello.versionFor(Hello.Mode.STATUS));
        Hello attach = Hello.control(Hello.Mode.ATTACH, 12, 40, 100, "xterm");
        assertEquals(2, attach.version());
        assertEquals(12, roundTrip(attach).targetSession());
        assertNull(roundTrip(Hello.control(Hello.Mode.ATTACH, null, 40, 100, "xterm")).targetSession());
        assertEquals(Hello.Mode.LIST, roundTrip(Hello.control(Hello.Mode.LIST, null, 0, 0, "")).mode());
        // Version 1 requests still parse, so an old client still opens sessions in a new init.
        assertEquals(1, roundTrip(new Hello(1, Hello.Mode.TERMINAL, true, 24, 80, null, "xterm", List.of())).version());
    }

    @Test
    void theModesOfVersionTwoAreUnknownToVersionOne() {
        for (int mode = 3; mode <= 5; mode++) {
            assertRejected(Builder.head(1, mode).u8(0).string("").string("").u16(0).frame(), "unknown mode " + mode);
        }
        assertRejected(Builder.head(2, 6).u8(0).string("").string("").u16(0).frame(), "unknown mode 6");
    }

    @Test
    void attachAndKillNameASessionById() {
        assertRejected(Builder.head(2, 4).u8(1).string("1; rm").string("").u16(0).frame(), "not a session id: 1; rm");
        assertRejected(Builder.head(2, 5).u8(1).string("0").string("").u16(0).frame(), "not a session id: 0");
        assertRejected(Builder.head(2, 5).u8(0).string("").string("").u16(0).frame(), "KILL needs a session id");
    }

    @Test
    void loginFlagFalseSurvives() throws Exception {
        Hello h = new Hello(Protocol.VERSION, Hello.Mode.PIPES, false, 0, 0, "true", "", List.of());
        assertFalse(roundTrip(h).login());
    }

    @Test
    void largestRowsAndColsSurvive() throws Exception {
        Hello h = new Hello(Protocol.VERSION, Hello.Mode.TERMINAL, false, 65535, 65535, null, "vt100", List.of());
        Hello back = roundTrip(h);
        assertEquals(65535, back.rows());
        assertEquals(65535, back.cols());
    }

    @Test
    void nullCommandAndEmptyCommandAreDistinct() throws Exception {
        Hello none = new Hello(Protocol.VERSION, Hello.Mode.PIPES, false, 0, 0, null, "", List.of());
        Hello empty = new Hello(Protocol.VERSION, Hello.Mode.PIPES, false, 0, 0, "", "", List.of());
        assertNull(roundTrip(none).command());
        assertEquals("", roundTrip(empty).command());
        byte[] a = none.toFrame().payload();
        byte[] b = empty.toFrame().payload();
        assertEquals(a.length, b.length);
        assertFalse(Arrays.equals(a, b), "the has-command byte tells them apart");
    }

    @Test
    void nullTermIsSentAsEmpty() throws Exception {
        Hello h = new Hello(Protocol.VERSION, Hello.Mode.PIPES, false, 0, 0, null, null, List.of());
        assertEquals("", roundTrip(h).term());
    }

    @Test
    void utf8StringsSurvive() throws Exception {
        Hello h = new Hello(Protocol.VERSION, Hello.Mode.PIPES, false, 0, 0, "echo 'grüße, 日本語, 🐧'", "xterm",
                List.of("LANG=fr_FR.UTF-8", "TZ=Europe/Zürich", "LC_MESSAGES=ελληνικά"));
        assertEquals(h, roundTrip(h));
    }

    @Test
    void wireLayoutIsExact() {
        Hello h = new Hello(1, Hello.Mode.PIPES, true, 0x0102, 0x0304, "ab", "t", List.of("X=1"));
        byte[] expected = new Builder().bytes(new byte[]{'J', 'A', 'I', 'L'}).u16(1).u8(1).u8(1).u16(0x0102).u16(0x0304)
                .u8(1).string("ab").string("t").u16(1).string("X=1").out.toByteArray();
        Frame f = h.toFrame();
        assertEquals(FrameType.HELLO, f.type());
        assertArrayEquals(expected, f.payload());
    }

    @Test
    void handBuiltHelloParses() throws Exception {
        Frame f = Builder.head(1, 2).u8(0).string("").string("").u16(2).string("A=b").string("C=").frame();
        Hello h = Hello.parse(f);
        assertEquals(Hello.Mode.STATUS, h.mode());
        assertFalse(h.login());
        assertEquals(24, h.rows());
        assertEquals(80, h.cols());
        assertNull(h.command());
        assertEquals(List.of("A=b", "C="), h.env());
    }

    @Test
    void otherFlagBitsAreIgnored() throws Exception {
        byte[] p = sample().toFrame().payload();
        p[7] = (byte) 0xFC; // every flag bit but LOGIN and AGENT
        Hello h = Hello.parse(new Frame(FrameType.HELLO, p));
        assertFalse(h.login());
        assertFalse(h.agent());
        p[7] = (byte) 0xFF;
        h = Hello.parse(new Frame(FrameType.HELLO, p));
        assertTrue(h.login());
        assertTrue(h.agent());
    }

    @Test
    void theAgentFlagIsBitOneAndSurvives() throws Exception {
        Hello plain = sample();
        assertFalse(roundTrip(plain).agent());
        Hello offered = plain.withAgent();
        assertEquals(offered, roundTrip(offered));
        assertTrue(roundTrip(offered).agent());
        assertEquals(0x03, offered.toFrame().payload()[7], "LOGIN (bit 0) and AGENT (bit 1)");
        // only the flag differs: an init that ignores bit 1 reads the same request
        byte[] a = plain.toFrame().payload();
        byte[] b = offered.toFrame().payload();
        b[7] = a[7];
        assertArrayEquals(a, b);
    }

    @Test
    void anyNonZeroHasCommandByteMeansACommand() throws Exception {
        byte[] p = sample().toFrame().payload();
        p[12] = (byte) 0x80;
        assertEquals("ls -l 'dir'", Hello.parse(new Frame(FrameType.HELLO, p)).command());
    }

    @Test
    void envListIsImmutableAndCopied() {
        List<String> env = new ArrayList<>(List.of("LANG=C"));
        Hello h = new Hello(1, Hello.Mode.PIPES, false, 0, 0, null, "", env);
        env.add("TZ=UTC");
        assertEquals(List.of("LANG=C"), h.env());
        assertThrows(UnsupportedOperationException.class, () -> h.env().add("X=1"));
    }

    @Test
    void otherFrameTypeIsRejected() {
        assertRejected(Frame.text(FrameType.STDIN, "JAIL"), "expected HELLO, got STDIN");
        assertRejected(Frame.welcome(1), "expected HELLO, got WELCOME");
    }

    @Test
    void badMagicIsRejected() {
        byte[] p = sample().toFrame().payload();
        p[0] = 'j';
        assertRejected(new Frame(FrameType.HELLO, p), "not a jail client (bad magic)");
        assertRejected(new Frame(FrameType.HELLO, "SSH-2.0-OpenSSH".getBytes(StandardCharsets.US_ASCII)),
                "not a jail client (bad magic)");
    }

    @Test
    void wrongVersionIsRejectedWithBothVersions() {
        assertRejected(Builder.head(3, 0).u8(0).string("").string("").u16(0).frame(),
                "protocol version 3 not supported (this init speaks 1 to 2)");
        assertRejected(Builder.head(0, 0).frame(), "protocol version 0 not supported (this init speaks 1 to 2)");
        assertRejected(Builder.head(0xFFFF, 0).frame(), "protocol version 65535 not supported (this init speaks 1 to 2)");
        Hello v3 = new Hello(3, Hello.Mode.PIPES, false, 0, 0, null, "", List.of());
        assertRejected(v3.toFrame(), "protocol version 3 not supported (this init speaks 1 to 2)");
    }

    @Test
    void unknownModeIsRejected() {
        assertRejected(Builder.head(1, 3).u8(0).string("").string("").u16(0).frame(), "unknown mode 3");
        assertRejected(Builder.head(1, 255).u8(0).string("").string("").u16(0).frame(), "unknown mode 255");
    }

    @Test
    void truncatedAtEveryLengthIsRejected() {
        byte[] full = sample().toFrame().payload();
        for (int len = 0; len < full.length; len++) {
            Frame cut = new Frame(FrameType.HELLO, Arrays.copyOf(full, len));
            ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.parse(cut), "length " + len);
            String m = e.getMessage();
            assertTrue(m.equals("truncated HELLO") || m.matches("string length \\d+ out of bounds"),
                    "length " + len + ": " + m);
        }
    }

    @Test
    void truncatedInsideAStringNamesTheLength() {
        assertRejected(Builder.head(1, 0).u8(1).u32(10).bytes("abc".getBytes(StandardCharsets.US_ASCII)).frame(),
                "string length 10 out of bounds");
    }

    @Test
    void truncatedInTheFixedPartSaysTruncated() {
        assertRejected(new Frame(FrameType.HELLO, new byte[0]), "truncated HELLO");
        assertRejected(new Frame(FrameType.HELLO, Arrays.copyOf(Protocol.MAGIC, 4)), "truncated HELLO");
        assertRejected(Builder.head(1, 0).frame(), "truncated HELLO");
        assertRejected(Builder.head(1, 0).u8(0).string("").string("").u8(0).frame(), "truncated HELLO");
    }

    @Test
    void negativeStringLengthIsRejected() {
        assertRejected(Builder.head(1, 0).u8(1).u32(-1).frame(), "string length -1 out of bounds");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] full = sample().toFrame().payload();
        assertRejected(new Frame(FrameType.HELLO, Arrays.copyOf(full, full.length + 1)), "trailing bytes after HELLO");
    }

    @Test
    void nulInAnyStringIsRejected() {
        assertRejected(Builder.head(1, 0).u8(1).string("ls\0rm").string("").u16(0).frame(), "NUL byte in a HELLO string");
        assertRejected(Builder.head(1, 0).u8(0).string("").string("xterm\0").u16(0).frame(), "NUL byte in a HELLO string");
        assertRejected(Builder.head(1, 0).u8(0).string("").string("").u16(1).string("LANG=C\0LD_PRELOAD=x").frame(),
                "NUL byte in a HELLO string");
        assertRejected(new Hello(1, Hello.Mode.PIPES, false, 0, 0, "a\0b", "", List.of()).toFrame(),
                "NUL byte in a HELLO string");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[][] bad = {
                {(byte) 0xFF},                          // never valid
                {(byte) 0xC3},                          // lead byte without continuation
                {(byte) 0xC0, (byte) 0x80},             // overlong NUL
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-16 surrogate
                {'a', (byte) 0x80, 'b'},                // stray continuation byte
        };
        for (byte[] s : bad) {
            assertRejected(Builder.head(1, 0).u8(1).string(s).string("").u16(0).frame(), "HELLO string is not UTF-8");
            assertRejected(Builder.head(1, 0).u8(0).string("").string("").u16(1).string(s).frame(),
                    "HELLO string is not UTF-8");
        }
    }

    @Test
    void twoHundredFiftySixEnvEntriesAreAccepted() throws Exception {
        List<String> env = new ArrayList<>();
        for (int i = 0; i < 256; i++) env.add("LC_X" + i + "=v");
        Hello h = new Hello(1, Hello.Mode.PIPES, false, 0, 0, null, "", env);
        assertEquals(env, roundTrip(h).env());
    }

    @Test
    void tooManyEnvEntriesAreRejected() {
        List<String> env = new ArrayList<>();
        for (int i = 0; i < 257; i++) env.add("LC_X" + i + "=v");
        assertRejected(new Hello(1, Hello.Mode.PIPES, false, 0, 0, null, "", env).toFrame(),
                "too many environment entries: 257");
        // Decided from the count alone, before any entry is read.
        assertRejected(Builder.head(1, 0).u8(0).string("").string("").u16(0xFFFF).frame(),
                "too many environment entries: 65535");
    }

    @Test
    void envCountLargerThanTheEntriesIsTruncated() {
        assertRejected(Builder.head(1, 0).u8(0).string("").string("").u16(2).string("A=1").frame(), "truncated HELLO");
    }

    @Test
    void envCountSmallerThanTheEntriesLeavesTrailingBytes() {
        assertRejected(Builder.head(1, 0).u8(0).string("").string("").u16(1).string("A=1").string("B=2").frame(),
                "trailing bytes after HELLO");
    }
}

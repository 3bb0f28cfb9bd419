package jail.session.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

    private final List<Frame> frames = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder(frames::add);

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] header(int type, long length) {
        return new byte[]{(byte) type, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private void feed(byte[] bytes) throws ProtocolException {
        decoder.feed(bytes, 0, bytes.length);
    }

    /** A stream of several frames of different types, including empty payloads. */
    private static List<Frame> sampleFrames() {
        return List.of(
                Frame.text(FrameType.STDIN, "hello"),
                Frame.of(FrameType.STDIN_EOF),
                Frame.resize(24, 80),
                new Frame(FrameType.STDOUT, new byte[0]),
                Frame.signal(2),
                Frame.text(FrameType.STDERR, "x"),
                Frame.exit(false, 3),
                Frame.error(ErrorCode.DENIED, "nope"),
                Frame.welcome(1),
                Frame.text(FrameType.STATUS, "sessions=1\n"),
                Frame.channel(FrameType.AGENT_OPEN, 7),
                Frame.channelData(7, new byte[]{0, 0, 0, 1, 11}, 0, 5),
                Frame.channelData(7, new byte[0], 0, 0),
                Frame.ack(7, 5),
                Frame.channel(FrameType.AGENT_CLOSE, 7));
    }

    private static void assertSameFrames(List<Frame> expected, List<Frame> actual) {
        assertEquals(expected.size(), actual.size(), "number of frames");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).type(), actual.get(i).type(), "type of frame " + i);
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload(), "payload of frame " + i);
        }
    }

    @Test
    void coalescedFramesInOneFeed() throws Exception {
        List<Frame> sent = sampleFrames();
        byte[] stream = concat(sent.stream().map(Frame::encode).toArray(byte[][]::new));
        feed(stream);
        assertSameFrames(sent, frames);
        assertTrue(decoder.idle());
    }

    @Test
    void streamSplitInTwoAtEveryByteBoundary() throws Exception {
        List<Frame> sent = sampleFrames();
        byte[] stream = concat(sent.stream().map(Frame::encode).toArray(byte[][]::new));
        for (int split = 0; split <= stream.length; split++) {
            frames.clear();
            FrameDecoder d = new FrameDecoder(frames::add);
            d.feed(stream, 0, split);
            d.feed(stream, split, stream.length - split);
            assertSameFrames(sent, frames);
            assertTrue(d.idle(), "idle after split at " + split);
        }
    }

    @Test
    void streamFedOneByteAtATime() throws Exception {
        List<Frame> sent = sampleFrames();
        byte[] stream = concat(sent.stream().map(Frame::encode).toArray(byte[][]::new));
        int boundary = 0;
        int frameIndex = 0;
        for (int i = 0; i < stream.length; i++) {
            decoder.feed(stream, i, 1);
            if (i + 1 == boundary + sent.get(frameIndex).encode().length) {
                boundary = i + 1;
                frameIndex++;
                assertEquals(frameIndex, frames.size(), "frame complete exactly at its last byte " + i);
                assertTrue(decoder.idle());
            } else {
                assertEquals(frameIndex, frames.size(), "no frame before its last byte " + i);
                assertFalse(decoder.idle(), "not idle in the middle of a frame at byte " + i);
            }
        }
        assertSameFrames(sent, frames);
    }

    @Test
    void feedRespectsOffsetAndLength() throws Exception {
        byte[] frame = Frame.text(FrameType.STDOUT, "abc").encode();
        byte[] padded = concat(new byte[]{(byte) 0xEE, (byte) 0xEE}, frame, new byte[]{(byte) 0xFF});
        decoder.feed(padded, 2, frame.length);
        assertEquals(1, frames.size());
        assertEquals("abc", frames.getFirst().text());
        assertTrue(decoder.idle());
    }

    @Test
    void emptyFeedDoesNothing() throws Exception {
        decoder.feed(new byte[0], 0, 0);
        assertTrue(frames.isEmpty());
        assertTrue(decoder.idle());
    }

    @Test
    void zeroLengthPayloadIsDeliveredFromTheHeaderAlone() throws Exception {
        feed(header(FrameType.STDOUT.code, 0));
        assertEquals(1, frames.size());
        assertEquals(FrameType.STDOUT, frames.getFirst().type());
        assertEquals(0, frames.getFirst().payload().length);
        feed(header(FrameType.STDIN_EOF.code, 0));
        assertEquals(FrameType.STDIN_EOF, frames.get(1).type());
        assertTrue(decoder.idle());
    }

    @Test
    void partialHeaderIsNotIdle() throws Exception {
        feed(new byte[]{(byte) FrameType.STDIN.code, 0});
        assertFalse(decoder.idle());
        assertTrue(frames.isEmpty());
        feed(new byte[]{0, 0, 1});
        assertFalse(decoder.idle(), "header complete, payload pending");
        feed(new byte[]{'z'});
        assertTrue(decoder.idle());
        assertEquals("z", frames.getFirst().text());
    }

    @Test
    void payloadExactlyAtTheLimitIsAccepted() throws Exception {
        byte[] payload = new byte[Protocol.MAX_PAYLOAD];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31);
        feed(new Frame(FrameType.STDIN, payload).encode());
        assertEquals(1, frames.size());
        assertArrayEquals(payload, frames.getFirst().payload());
    }

    @Test
    void payloadOneByteOverTheLimitIsRejectedFromTheHeaderAlone() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> feed(header(FrameType.STDIN.code, Protocol.MAX_PAYLOAD + 1L)));
        assertEquals("STDIN frame of 131073 bytes exceeds the limit of 131072", e.getMessage());
        assertTrue(frames.isEmpty());
    }

    @Test
    void hugeLengthIsReadUnsigned() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> feed(header(FrameType.STDOUT.code, 0xFFFFFFFFL)));
        assertEquals("STDOUT frame of 4294967295 bytes exceeds the limit of 131072", e.getMessage());
        ProtocolException e2 = assertThrows(ProtocolException.class,
                () -> new FrameDecoder(f -> { }).feed(header(FrameType.STDOUT.code, 0x80000000L), 0, 5));
        assertEquals("STDOUT frame of 2147483648 bytes exceeds the limit of 131072", e2.getMessage());
    }

    @Test
    void unknownTypeIsRejected() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> feed(header(0x13, 0)));
        assertEquals("unknown frame type 0x13", e.getMessage());
        ProtocolException zero = assertThrows(ProtocolException.class, () -> new FrameDecoder(f -> { }).feed(header(0, 1), 0, 5));
        assertEquals("unknown frame type 0x0", zero.getMessage());
        ProtocolException ff = assertThrows(ProtocolException.class, () -> new FrameDecoder(f -> { }).feed(header(0xFF, 1), 0, 5));
        assertEquals("unknown frame type 0xff", ff.getMessage());
    }

    @Test
    void unknownTypeIsRejectedEvenWithAnOversizedLength() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> feed(header(0x42, 0xFFFFFFFFL)));
        assertEquals("unknown frame type 0x42", e.getMessage());
    }

    @Test
    void everyKnownTypeCodeIsAccepted() throws Exception {
        for (FrameType t : FrameType.values()) {
            assertEquals(t, FrameType.of(t.code));
        }
        assertEquals(null, FrameType.of(-1));
        assertEquals(null, FrameType.of(256));
        assertEquals(null, FrameType.of(0x13));
        assertEquals(null, FrameType.of(0x00));
    }

    @Test
    void resizeMustCarryFourBytes() {
        assertLayoutError(FrameType.RESIZE, 3, "RESIZE frame must carry 4 bytes, not 3");
        assertLayoutError(FrameType.RESIZE, 5, "RESIZE frame must carry 4 bytes, not 5");
        assertLayoutError(FrameType.RESIZE, 0, "RESIZE frame must carry 4 bytes, not 0");
    }

    @Test
    void signalMustCarryOneByte() {
        assertLayoutError(FrameType.SIGNAL, 0, "SIGNAL frame must carry 1 bytes, not 0");
        assertLayoutError(FrameType.SIGNAL, 2, "SIGNAL frame must carry 1 bytes, not 2");
    }

    @Test
    void exitMustCarryTwoBytes() {
        assertLayoutError(FrameType.EXIT, 1, "EXIT frame must carry 2 bytes, not 1");
        assertLayoutError(FrameType.EXIT, 3, "EXIT frame must carry 2 bytes, not 3");
    }

    @Test
    void welcomeMustCarryTwoBytes() {
        assertLayoutError(FrameType.WELCOME, 0, "WELCOME frame must carry 2 bytes, not 0");
        assertLayoutError(FrameType.WELCOME, 4, "WELCOME frame must carry 2 bytes, not 4");
    }

    @Test
    void stdinEofMustBeEmpty() {
        assertLayoutError(FrameType.STDIN_EOF, 1, "STDIN_EOF frame must carry 0 bytes, not 1");
    }

    @Test
    void errorNeedsACode() {
        assertLayoutError(FrameType.ERROR, 0, "ERROR frame without a code");
    }

    @Test
    void fixedLayoutsOfTheRightSizeAreAccepted() throws Exception {
        feed(concat(frame(FrameType.RESIZE, 4), frame(FrameType.SIGNAL, 1), frame(FrameType.EXIT, 2),
                frame(FrameType.WELCOME, 2), frame(FrameType.STDIN_EOF, 0), frame(FrameType.ERROR, 1)));
        assertEquals(List.of(FrameType.RESIZE, FrameType.SIGNAL, FrameType.EXIT, FrameType.WELCOME,
                FrameType.STDIN_EOF, FrameType.ERROR), frames.stream().map(Frame::type).toList());
    }

    @Test
    void variableLengthTypesAcceptAnySize() throws Exception {
        for (FrameType t : List.of(FrameType.HELLO, FrameType.STDIN, FrameType.STDOUT, FrameType.STDERR, FrameType.STATUS)) {
            for (int len : new int[]{0, 1, 2, 7}) feed(frame(t, len));
        }
        assertEquals(20, frames.size());
    }

    @Test
    void framesBeforeABadFrameAreDeliveredAndNothingAfterIt() {
        byte[] stream = concat(Frame.text(FrameType.STDIN, "a").encode(), frame(FrameType.SIGNAL, 2),
                Frame.text(FrameType.STDIN, "b").encode());
        ProtocolException e = assertThrows(ProtocolException.class, () -> feed(stream));
        assertEquals("SIGNAL frame must carry 1 bytes, not 2", e.getMessage());
        assertEquals(1, frames.size());
        assertEquals("a", frames.getFirst().text());
    }

    @Test
    void refusesFurtherInputAfterAnUnknownType() {
        assertThrows(ProtocolException.class, () -> feed(header(0x77, 0)));
        assertRefusesFurtherInput();
    }

    @Test
    void refusesFurtherInputAfterAnOversizedFrame() {
        assertThrows(ProtocolException.class, () -> feed(header(FrameType.STDIN.code, Protocol.MAX_PAYLOAD + 1L)));
        assertRefusesFurtherInput();
    }

    @Test
    void refusesFurtherInputAfterALayoutError() {
        assertThrows(ProtocolException.class, () -> feed(frame(FrameType.EXIT, 0)));
        assertRefusesFurtherInput();
    }

    @Test
    void refusesEvenAnEmptyFeedAfterAFailure() {
        assertThrows(ProtocolException.class, () -> feed(header(0x77, 0)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.feed(new byte[0], 0, 0));
        assertEquals("connection already failed", e.getMessage());
    }

    private void assertRefusesFurtherInput() {
        byte[] good = Frame.text(FrameType.STDIN, "ok").encode();
        for (int i = 0; i < 2; i++) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> feed(good));
            assertEquals("connection already failed", e.getMessage());
        }
        assertTrue(frames.isEmpty(), "no frame after a failure");
    }

    @Test
    void agentFramesHaveTheirLayouts() {
        assertLayoutError(FrameType.AGENT_OPEN, 3, "AGENT_OPEN frame must carry 4 bytes, not 3");
        assertLayoutError(FrameType.AGENT_OPEN, 5, "AGENT_OPEN frame must carry 4 bytes, not 5");
        assertLayoutError(FrameType.AGENT_CLOSE, 0, "AGENT_CLOSE frame must carry 4 bytes, not 0");
        assertLayoutError(FrameType.AGENT_ACK, 4, "AGENT_ACK frame must carry 8 bytes, not 4");
        assertLayoutError(FrameType.AGENT_DATA, 3, "AGENT_DATA frame must carry 4 to 16388 bytes, not 3");
        assertLayoutError(FrameType.AGENT_DATA, 4 + Protocol.AGENT_CHUNK + 1,
                "AGENT_DATA frame must carry 4 to 16388 bytes, not 16389");
    }

    @Test
    void agentOpenNamesOnlyAChannelNeverAPath() throws Exception {
        // The client connects to its own SSH_AUTH_SOCK for every channel: the frame has no room for anything else.
        Frame open = Frame.channel(FrameType.AGENT_OPEN, 0x01020304);
        assertArrayEquals(new byte[]{1, 2, 3, 4}, open.payload());
        assertEquals(0x01020304, open.channelId());
        Frame ack = Frame.ack(9, 65536);
        assertEquals(9, ack.channelId());
        assertEquals(65536, ack.ackBytes());
        Frame data = Frame.channelData(9, new byte[]{5, 6, 7}, 1, 2);
        assertEquals(9, data.channelId());
        assertArrayEquals(new byte[]{0, 0, 0, 9, 6, 7}, data.payload());
    }

    private void assertLayoutError(FrameType type, int length, String message) {
        List<Frame> got = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(got::add);
        byte[] bytes = frame(type, length);
        ProtocolException e = assertThrows(ProtocolException.class, () -> d.feed(bytes, 0, bytes.length));
        assertEquals(message, e.getMessage());
        assertTrue(got.isEmpty(), "a malformed frame is not delivered");
        // Frame.checkLayout is what the decoder applies: the same message for a frame built directly.
        ProtocolException direct = assertThrows(ProtocolException.class, () -> new Frame(type, new byte[length]).checkLayout());
        assertEquals(message, direct.getMessage());
    }

    private static byte[] frame(FrameType type, int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) payload[i] = (byte) (i + 1);
        return new Frame(type, payload).encode();
    }

    @Test
    void headerHelperMatchesEncode() {
        byte[] payload = "0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[Protocol.HEADER_SIZE];
        Frame.header(FrameType.STDERR, payload.length, h);
        byte[] encoded = new Frame(FrameType.STDERR, payload).encode();
        for (int i = 0; i < Protocol.HEADER_SIZE; i++) assertEquals(encoded[i], h[i], "header byte " + i);
        Frame.header(FrameType.STDOUT, 0x01020304, h);
        assertArrayEquals(new byte[]{0x05, 0x01, 0x02, 0x03, 0x04}, h);
    }
}

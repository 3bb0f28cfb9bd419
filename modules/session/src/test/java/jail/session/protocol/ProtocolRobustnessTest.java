package jail.session.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever bytes a peer sends, the decoder and the HELLO parser answer with a frame, a Hello, or a
 * {@link ProtocolException}: never another exception, which would escape the connection's error handling.
 */
class ProtocolRobustnessTest {
    private static final long SEED = 0x5EED_1A11L;
    private static final int ROUNDS = 20_000;

    private static final List<Hello> VALID_HELLOS = List.of(
            new Hello(Protocol.VERSION, Hello.Mode.TERMINAL, true, 24, 80, null, "xterm-256color",
                    List.of("LANG=C.UTF-8", "LC_ALL=de_DE.UTF-8", "SSH_CONNECTION=1.2.3.4 5 6.7.8.9 22")),
            new Hello(Protocol.VERSION, Hello.Mode.PIPES, false, 0, 0, "rsync --server -vlogDtpre.iLsfxC . /tmp", "",
                    List.of("TZ=UTC")),
            new Hello(Protocol.VERSION, Hello.Mode.STATUS, false, 0, 0, null, "", List.of()),
            new Hello(Protocol.VERSION, Hello.Mode.TERMINAL, false, 65535, 1, "écho ✓", "vt100", List.of("LANG=ja_JP.UTF-8")));

    private static final List<Frame> VALID_FRAMES = List.of(
            Frame.text(FrameType.STDIN, "input"), Frame.of(FrameType.STDIN_EOF), Frame.resize(40, 120), Frame.signal(2),
            Frame.exit(true, 15), Frame.error(ErrorCode.PROTOCOL, "bad"), Frame.welcome(1),
            Frame.text(FrameType.STDOUT, "out"), Frame.text(FrameType.STDERR, "err"), Frame.text(FrameType.STATUS, "s=1"));

    private int frames;
    private int hellosParsed;
    private int protocolErrors;

    @Test
    void randomAndMutatedInputOnlyEverRaisesProtocolException() {
        Random random = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = switch (round % 4) {
                case 0 -> randomBytes(random);
                case 1 -> mutate(random, validStream(random));
                case 2 -> mutate(random, helloWithRandomPayload(random));
                default -> mutate(random, VALID_HELLOS.get(random.nextInt(VALID_HELLOS.size())).toFrame().encode());
            };
            try {
                feedInRandomPieces(random, input);
            } catch (Throwable t) {
                fail("round " + round + " (seed " + SEED + "): " + t + " for input " + Arrays.toString(input), t);
            }
            // The same bytes as a HELLO payload given straight to the parser.
            try {
                Hello.parse(new Frame(FrameType.HELLO, input));
                hellosParsed++;
            } catch (ProtocolException expected) {
                protocolErrors++;
            } catch (Throwable t) {
                fail("round " + round + ": Hello.parse threw " + t + " for " + Arrays.toString(input), t);
            }
        }
        // The run must have exercised both outcomes, or it proves little.
        assertTrue(frames > ROUNDS / 4, "frames decoded: " + frames);
        assertTrue(hellosParsed > 100, "hellos parsed: " + hellosParsed);
        assertTrue(protocolErrors > ROUNDS / 4, "protocol errors: " + protocolErrors);
    }

    @Test
    void unmutatedValidHellosAlwaysParse() throws Exception {
        for (Hello h : VALID_HELLOS) {
            List<Frame> out = new ArrayList<>();
            byte[] bytes = h.toFrame().encode();
            new FrameDecoder(out::add).feed(bytes, 0, bytes.length);
            Hello back = Hello.parse(out.getFirst());
            assertTrue(back.equals(h), h + " vs " + back);
        }
    }

    private void feedInRandomPieces(Random random, byte[] input) throws Throwable {
        List<Frame> out = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(out::add);
        int off = 0;
        try {
            while (off < input.length) {
                int n = 1 + random.nextInt(Math.min(input.length - off, 64));
                decoder.feed(input, off, n);
                off += n;
                for (Frame f : out) useFrame(f);
                out.clear();
            }
        } catch (ProtocolException expected) {
            protocolErrors++;
            // A failed decoder stays failed.
            try {
                decoder.feed(new byte[]{1}, 0, 1);
                fail("decoder accepted input after a failure");
            } catch (ProtocolException again) {
                if (!"connection already failed".equals(again.getMessage())) throw again;
            }
        }
    }

    /** What the init and the client do with a frame: read its fixed fields, parse a HELLO. */
    private void useFrame(Frame f) {
        frames++;
        switch (f.type()) {
            case HELLO -> {
                try {
                    Hello.parse(f);
                    hellosParsed++;
                } catch (ProtocolException expected) {
                    protocolErrors++;
                }
            }
            case RESIZE -> {
                f.resizeRows();
                f.resizeCols();
            }
            case SIGNAL -> f.signalNumber();
            case EXIT -> {
                f.exitSignaled();
                f.exitValue();
            }
            case ERROR -> {
                f.errorCode();
                f.errorMessage();
            }
            default -> f.text();
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        // Bias the first byte towards known types so that payload handling is reached, not just the type check.
        if (b.length > 0 && random.nextBoolean()) b[0] = (byte) (1 + random.nextInt(11));
        if (b.length > 4 && random.nextBoolean()) {
            b[1] = 0;
            b[2] = 0;
            b[3] = 0;
            b[4] = (byte) random.nextInt(Math.max(1, b.length - 5) + 3);
        }
        return b;
    }

    private static byte[] validStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(3) == 0) out.writeBytes(VALID_HELLOS.get(random.nextInt(VALID_HELLOS.size())).toFrame().encode());
            else out.writeBytes(VALID_FRAMES.get(random.nextInt(VALID_FRAMES.size())).encode());
        }
        return out.toByteArray();
    }

    /** A HELLO frame with a payload that starts right (magic, version) and continues at random. */
    private static byte[] helloWithRandomPayload(Random random) {
        byte[] rest = new byte[random.nextInt(80)];
        random.nextBytes(rest);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(Protocol.MAGIC);
        p.write(0);
        p.write(Protocol.VERSION);
        p.write(random.nextInt(4));
        p.writeBytes(rest);
        return new Frame(FrameType.HELLO, p.toByteArray()).encode();
    }

    private static byte[] mutate(Random random, byte[] in) {
        byte[] b = in.clone();
        int edits = random.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncate
                case 3 -> { // insert a byte
                    int at = random.nextInt(b.length + 1);
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 4 -> { // delete a byte
                    int at = random.nextInt(b.length);
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
                default -> { // a string length or count field set to an extreme
                    if (b.length >= 4) {
                        int at = random.nextInt(b.length - 3);
                        int v = switch (random.nextInt(4)) {
                            case 0 -> -1;
                            case 1 -> Integer.MAX_VALUE;
                            case 2 -> Integer.MIN_VALUE;
                            default -> random.nextInt(300);
                        };
                        b[at] = (byte) (v >>> 24);
                        b[at + 1] = (byte) (v >>> 16);
                        b[at + 2] = (byte) (v >>> 8);
                        b[at + 3] = (byte) v;
                    }
                }
            }
        }
        return b;
    }
}

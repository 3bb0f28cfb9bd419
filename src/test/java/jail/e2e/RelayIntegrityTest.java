package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a session writes arrives byte for byte, whatever the size, the stream and where the client's output
 * goes: the relay splices a session's pipes into the socket in frames of what the pipe holds, and the client
 * splices each payload into its stdout (a pipe), through a pipe of its own (a file), or copies it. Sizes sit
 * on both sides of a page, of the frame (64 KiB), of the largest payload (128 KiB) and beyond a MiB; stdout
 * and stderr keep their order each; a reader that leaves early ends the session as SIGPIPE would; 1 GiB
 * arrives with its checksum, from GNU cat on a Debian root and from busybox cat.
 */
@RequiresRoot
class RelayIntegrityTest {
    static final int[] SIZES = {0, 1, 4095, 4096, 4097, 65535, 65536, 65537, 131071, 131072, 131073, (1 << 20) + 1};
    static final int BIG = 256 << 20;
    static final Path OUT = TestContainer.freshDir(TestContainer.WORK.resolve("relay-integrity"));

    static TestContainer busybox;
    static TestContainer debian;

    @BeforeAll
    static void start() throws IOException {
        busybox = TestContainer.busybox("jrlbusy", 66020).start();
        debian = TestContainer.debian("jrldeb", 66021).start();
        for (TestContainer c : List.of(busybox, debian)) {
            for (int size : SIZES) Files.write(c.root.resolve("home/work/s" + size), bytes(size, size));
            Cmd.ok("dd", "if=/dev/urandom", "of=" + c.root.resolve("home/work/big"), "bs=1M", "count=" + (BIG >> 20),
                    "status=none");
        }
    }

    @AfterAll
    static void stop() {
        if (busybox != null) busybox.close();
        if (debian != null) debian.close();
        Cmd.run("rm", "-rf", OUT.toString());
    }

    /** Reproducible binary data, every byte value included. */
    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs a bash command line on the host; {@code $JAIL} is {@code jail --uid UID} of the container. */
    static Cmd.Result bash(TestContainer c, String script) {
        return Cmd.run("bash", "-c", "JAIL='" + Cmd.JAIL + " --uid " + c.uid + "'; " + script);
    }

    @Test
    void everySizeArrivesIntactOnStdoutAndStderrIntoAPipeAndIntoAFile() throws IOException {
        for (TestContainer c : List.of(busybox, debian)) {
            for (int size : SIZES) {
                byte[] want = bytes(size, size);
                String what = c.hostUser + ", " + size + " bytes";
                Cmd.Result piped = c.jail("cat /home/work/s" + size);
                assertEquals(0, piped.exit(), () -> what + ": " + piped);
                assertArrayEquals(want, piped.stdoutBytes(), what + " into a pipe");

                Path file = OUT.resolve("out"), err = OUT.resolve("err");
                Cmd.Result r = bash(c, "$JAIL -c 'cat /home/work/s" + size + "; cat /home/work/s" + size + " >&2' > "
                        + file + " 2> " + err);
                assertEquals(0, r.exit(), () -> what + ": " + r);
                assertArrayEquals(want, Files.readAllBytes(file), what + " into a file");
                assertArrayEquals(want, Files.readAllBytes(err), what + " on stderr, into a file");
            }
        }
    }

    @Test
    void stdoutAndStderrKeepTheirOrderEachInterleavedAndApart() throws IOException {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            out.append('o').append(i).append(',');
            err.append('e').append(i).append(',');
        }
        for (TestContainer c : List.of(busybox, debian)) {
            Cmd.Result r = c.jail("i=0; while [ $i -lt 3000 ]; do printf o$i,; printf e$i, >&2; i=$((i+1)); done");
            assertEquals(0, r.exit(), r::toString);
            assertEquals(out.toString(), r.stdout(), "stdout of " + c.hostUser);
            assertEquals(err.toString(), r.stderr(), "stderr of " + c.hostUser);

            Path o = OUT.resolve("apart-out"), e = OUT.resolve("apart-err");
            int size = (1 << 20) + 1;
            Cmd.Result apart = bash(c, "$JAIL -c 'cat /home/work/s" + size + "; echo -n mid >&2; cat /home/work/s1 /home/work/s"
                    + size + " >&2; echo -n end' > " + o + " 2> " + e);
            assertEquals(0, apart.exit(), apart::toString);
            byte[] wantOut = concat(bytes(size, size), "end".getBytes());
            byte[] wantErr = concat("mid".getBytes(), bytes(1, 1), bytes(size, size));
            assertArrayEquals(wantOut, Files.readAllBytes(o), "stdout apart, " + c.hostUser);
            assertArrayEquals(wantErr, Files.readAllBytes(e), "stderr apart, " + c.hostUser);
        }
    }

    @Test
    void aReaderThatLeavesEarlyEndsTheSessionAsSigpipeWould() {
        for (TestContainer c : List.of(busybox, debian)) {
            Cmd.Result r = bash(c, "$JAIL -c yes | head -c 1; echo \" ${PIPESTATUS[0]}\"");
            assertEquals("y 141\n", r.stdout(), () -> "jail ends as a writer killed by SIGPIPE: " + r);
            Await.until(Duration.ofSeconds(30), () -> RelayExhaustionTest.named(c, "yes").isEmpty(),
                    () -> "yes was hung up with its session: " + RelayExhaustionTest.named(c, "yes"));
        }
    }

    @Test
    void oneGibibyteArrivesWithItsChecksumThroughAPipeAndIntoAFile() throws Exception {
        for (TestContainer c : List.of(busybox, debian)) {
            String want = sha256Of(c.root.resolve("home/work/big"), 4);
            String cat = "cat /home/work/big /home/work/big /home/work/big /home/work/big";
            Cmd.Result piped = bash(c, "set -o pipefail; $JAIL -c '" + cat + "' | sha256sum");
            assertEquals(0, piped.exit(), piped::toString);
            assertEquals(want + "  -\n", piped.stdout(), c.hostUser + ": 1 GiB through a pipe");

            Path file = OUT.resolve("gib");
            Cmd.Result filed = bash(c, "$JAIL -c '" + cat + "' > " + file + " && sha256sum < " + file + "; rm -f " + file);
            assertEquals(0, filed.exit(), filed::toString);
            assertEquals(want + "  -\n", filed.stdout(), c.hostUser + ": 1 GiB into a file");
        }
    }

    /** sha256 of {@code times} copies of a file, one after the other. */
    static String sha256Of(Path file, int times) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < times; i++) {
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] all = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }
}

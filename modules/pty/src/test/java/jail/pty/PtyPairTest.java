package jail.pty;

import com.sun.jna.Memory;
import jail.namespace.NativeFd;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static jail.namespace.jna.Constants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Real pseudo-terminals of the machine's own devpts (no root needed): what the init relies on. Bytes cross
 * between the ends through the line discipline, the window size set on the master is what the slave sees, and
 * a master reads end of file once the slave is closed.
 */
class PtyPairTest {
    static String readSome(int fd) {
        try (Memory buf = new Memory(256)) {
            int n = NativeFd.read(fd, buf, 256);
            return n < 0 ? null : new String(buf.getByteArray(0, n), StandardCharsets.UTF_8);
        }
    }

    @Test
    void bytesCrossFromSlaveToMasterAndTheMasterSeesTheEnd() {
        try (PtyPair pty = PtyPair.open("/dev/pts")) {
            assertEquals("/dev/pts/" + pty.number(), pty.slavePath());
            assertTrue(Files.exists(Path.of(pty.slavePath())));
            int slave = NativeFd.open(pty.slavePath(), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
            NativeFd.writeFully(slave, "hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello\r\n", readSome(pty.master()), "the line discipline turns \\n into \\r\\n (onlcr)");
            NativeFd.close(slave);
            assertNull(readSome(pty.master()), "EIO once every slave fd is closed reads as end of file");
        }
    }

    @Test
    void theWindowSizeSetOnTheMasterIsTheSlaves() {
        try (PtyPair pty = PtyPair.open("/dev/pts")) {
            int slave = NativeFd.open(pty.slavePath(), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
            try {
                new WindowSize(33, 101).applyTo(pty.master());
                assertEquals(new WindowSize(33, 101), WindowSize.of(slave));
            } finally {
                NativeFd.close(slave);
            }
        }
    }

    @Test
    void aClosedPairRemovesItsSlave() {
        PtyPair pty = PtyPair.open("/dev/pts");
        String slave = pty.slavePath();
        pty.close();
        assertFalse(Files.exists(Path.of(slave)), "the slave node goes with its master");
    }
}

package jail.namespace.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static jail.namespace.jna.Constants.EBADF;
import static jail.namespace.jna.Constants.O_CLOEXEC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binding's conventions, each once: values, errno, strings, arrays and references in and out. */
class LibCTest {

    private static final long FIONREAD = 0x541B;

    @Test
    void aCallReturnsItsValue() {
        assertEquals(ProcessHandle.current().pid(), LibC.getpid());
    }

    @Test
    void aFailedCallCarriesErrno() {
        LastErrorException e = assertThrows(LastErrorException.class, () -> LibC.close(-1));
        assertEquals(EBADF, e.getErrorCode());
    }

    @Test
    void stringsGoAsUtf8(@TempDir Path dir) {
        Path made = dir.resolve("zürich-東京");
        LibC.mkdir(made.toString(), 0700);
        assertTrue(Files.isDirectory(made));
    }

    @Test
    void arraysAndReferencesComeBackFilled() {
        int[] fds = {-1, -1};
        LibC.pipe2(fds, O_CLOEXEC);
        try {
            byte[] written = {1, 2, 3, 4, 5};
            assertEquals(5, LibC.write(fds[1], written, written.length));
            IntByReference queued = new IntByReference();
            LibC.ioctl(fds[0], FIONREAD, queued);
            assertEquals(5, queued.getValue());
            byte[] read = new byte[5];
            assertEquals(5, LibC.read(fds[0], read, read.length));
            assertArrayEquals(written, read);
        } finally {
            LibC.close(fds[0]);
            LibC.close(fds[1]);
        }
    }
}

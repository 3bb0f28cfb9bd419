package jail.namespace.logins;

import jail.namespace.jna.LibC;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checks that keep root's record writes off files a container's user planted (run as root). */
class LoginFileTest {
    @TempDir
    Path dir;
    Path victim;

    @BeforeEach
    void rootOnly() throws IOException {
        assumeTrue(LibC.geteuid() == 0, "needs root: the files must be root's");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        victim = Files.writeString(dir.resolve("shadow"), "root:secret\n");
    }

    @Test
    void aMissingFileOrDirectoryIsNoFile() {
        assertNull(LoginFile.openExisting(dir.toString(), "wtmp"));
        assertNull(LoginFile.openExisting(dir.resolve("none").toString(), "wtmp"));
        assertNull(LoginFile.createFresh(dir.resolve("none").toString(), "utmp", 0));
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        Files.createSymbolicLink(dir.resolve("wtmp"), victim);
        assertThrows(LoginFile.UnsafeLoginFileException.class, () -> LoginFile.openExisting(dir.toString(), "wtmp"));
        assertEquals("root:secret\n", Files.readString(victim));
    }

    @Test
    void aHardLinkIsRefused() throws IOException {
        Files.createLink(dir.resolve("wtmp"), victim);
        assertThrows(LoginFile.UnsafeLoginFileException.class, () -> LoginFile.openExisting(dir.toString(), "wtmp"));
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws IOException {
        Files.createFile(dir.resolve("wtmp"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(LoginFile.UnsafeLoginFileException.class, () -> LoginFile.openExisting(dir.toString(), "wtmp"));
    }

    @Test
    void aFreshUtmpReplacesALinkWithoutTouchingItsTarget() throws IOException {
        Files.createSymbolicLink(dir.resolve("utmp"), victim);
        try (LoginFile utmp = LoginFile.createFresh(dir.toString(), "utmp", 0)) {
            utmp.appendRecord(UtmpEntry.boot(java.time.Instant.now()).encode());
            assertEquals(UtmpEntry.SIZE, utmp.size());
        }
        assertFalse(Files.isSymbolicLink(dir.resolve("utmp")));
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("utmp"))));
        assertEquals("root:secret\n", Files.readString(victim));
    }

    @Test
    void appendingStartsAtARecordBoundary() throws IOException {
        Files.write(dir.resolve("wtmp"), new byte[UtmpEntry.SIZE + 10]); // a torn tail of a crash
        try (LoginFile wtmp = LoginFile.openExisting(dir.toString(), "wtmp")) {
            wtmp.appendRecord(UtmpEntry.boot(java.time.Instant.now()).encode());
            assertEquals(2L * UtmpEntry.SIZE, wtmp.size());
            assertEquals(UtmpEntry.BOOT_TIME, UtmpEntry.decode(wtmp.readAll(), UtmpEntry.SIZE).type());
        }
    }
}

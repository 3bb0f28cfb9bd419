package jail.namespace.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code read()} on real files: a container's root controls these paths, so links are never followed. */
class AccountFileReadTest {
    @TempDir
    Path dir;

    @Test
    void readsARegularPasswdFile() throws Exception {
        Path p = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nü:x:7:7:Ünïcode:/h:/bin/sh\n");
        PasswdFile f = PasswdFile.read(p);
        assertEquals("root", f.byUid(0).orElseThrow().name());
        assertEquals("Ünïcode", f.byName("ü").orElseThrow().gecos());
    }

    @Test
    void readsARegularGroupFile() throws Exception {
        Path g = Files.writeString(dir.resolve("group"), "tty:x:5:\nwheel:x:10:alice\n");
        assertEquals("tty", GroupFile.read(g).byGid(5).orElseThrow().name());
    }

    @Test
    void errorsFromReadNameThePath() throws Exception {
        Path p = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nbroken\n");
        AccountFileException e = assertThrows(AccountFileException.class, () -> PasswdFile.read(p));
        assertEquals(p + ":2: expected 7 fields, found 1", e.getMessage());
        Path g = Files.writeString(dir.resolve("group"), "g:x:y:\n");
        AccountFileException e2 = assertThrows(AccountFileException.class, () -> GroupFile.read(g));
        assertEquals(g + ":1: 'y' is not a valid id", e2.getMessage());
    }

    @Test
    void refusesASymlinkedPasswd() throws Exception {
        Path target = Files.writeString(dir.resolve("real-passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Path link = Files.createSymbolicLink(dir.resolve("passwd"), target);
        AccountFileException e = assertThrows(AccountFileException.class, () -> PasswdFile.read(link));
        assertEquals(link + ": is a symbolic link, refusing to follow it", e.getMessage());
    }

    @Test
    void refusesASymlinkedGroup() throws Exception {
        Path target = Files.writeString(dir.resolve("real-group"), "root:x:0:\n");
        Path link = Files.createSymbolicLink(dir.resolve("group"), target);
        AccountFileException e = assertThrows(AccountFileException.class, () -> GroupFile.read(link));
        assertEquals(link + ": is a symbolic link, refusing to follow it", e.getMessage());
    }

    @Test
    void refusesADanglingSymlink() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("passwd"), dir.resolve("nowhere"));
        AccountFileException e = assertThrows(AccountFileException.class, () -> PasswdFile.read(link));
        assertEquals(link + ": is a symbolic link, refusing to follow it", e.getMessage());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("passwd");
        AccountFileException e = assertThrows(AccountFileException.class, () -> PasswdFile.read(p));
        assertEquals(p + ": no such file", e.getMessage());
        Path g = dir.resolve("group");
        AccountFileException e2 = assertThrows(AccountFileException.class, () -> GroupFile.read(g));
        assertEquals(g + ": no such file", e2.getMessage());
    }

    @Test
    void directoryIsNotAFile() throws Exception {
        Path d = Files.createDirectory(dir.resolve("passwd"));
        AccountFileException e = assertThrows(AccountFileException.class, () -> PasswdFile.read(d));
        assertEquals(d + ": no such file", e.getMessage());
    }

    @Test
    void refusesAFileOverSixteenMegabytes() throws Exception {
        Path p = dir.resolve("passwd");
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{'\n'}), 16L << 20); // sparse: 16 MiB + 1 byte
        }
        AccountFileException e = assertThrows(AccountFileException.class, () -> PasswdFile.read(p));
        assertEquals(p + ": larger than 16777216 bytes", e.getMessage());
    }
}

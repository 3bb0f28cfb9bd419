package jail.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The state directory is a locked room (root's, not writable by others), a planted symlink at a socket path is
 * removed and never followed, and a container whose ROOTDIR disappears ends cleanly.
 */
@RequiresRoot
class StateDirectoryTest {
    static final Path RUN = Path.of("/run/jail-e2e-statedir");
    static final Map<String, String> ENV = Map.of("JAIL_RUN_DIR", RUN.toString());
    static final int UID = 62200;

    @AfterEach
    void cleanUp() {
        Cmd.run(null, ENV, Cmd.JAILD, "stop", "--all");
        Cmd.run("userdel", "jt-state");
        Cmd.run("rm", "-rf", RUN.toString(), TestContainer.WORK.resolve("jt-state").toString());
    }

    static Path rootfs() {
        Path root = TestContainer.WORK.resolve("jt-state");
        Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", String.valueOf(UID));
        return root;
    }

    @Test
    void aStateDirectoryOthersCanWriteIsRefused() throws Exception {
        Files.createDirectories(RUN);
        Files.setPosixFilePermissions(RUN, PosixFilePermissions.fromString("rwxrwxrwx"));
        Cmd.Result r = Cmd.run(null, ENV, Cmd.JAILD, "-u", String.valueOf(UID), "-r", rootfs().toString());
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jaild: " + RUN + " is writable by group or others; refusing to use it\n", r.stderr());
    }

    @Test
    void aSymlinkPlantedAtTheSocketPathIsRemovedNotFollowed() throws Exception {
        Files.createDirectories(RUN);
        Files.setPosixFilePermissions(RUN, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path victim = Files.createTempFile("jail-victim", ".txt");
        Files.writeString(victim, "precious\n");
        Files.createSymbolicLink(RUN.resolve(UID + ".sock"), victim);
        Files.createSymbolicLink(RUN.resolve(UID + ".state"), victim);
        try {
            Cmd.Result r = Cmd.run(null, ENV, Cmd.JAILD, "-u", String.valueOf(UID), "-r", rootfs().toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("precious\n", Files.readString(victim), "the link's target is untouched");
            assertFalse(Files.isSymbolicLink(RUN.resolve(UID + ".sock")), "a real socket replaced the planted link");
            assertEquals("62200\n", Cmd.run(null, ENV, Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "id -u").stdout());
        } finally {
            Files.deleteIfExists(victim);
        }
    }

    @Test
    void aContainerWhoseRootDirIsRemovedEndsCleanly() throws Exception {
        Path root = rootfs();
        assertEquals(0, Cmd.run(null, ENV, Cmd.JAILD, "-u", String.valueOf(UID), "-r", root.toString()).exit());
        Cmd.ok("rm", "-rf", root.toString());
        Cmd.Result r = Cmd.run(null, ENV, Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "true");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.stderr().startsWith("jail: cannot start session: "), r.stderr());
        assertEquals("", r.stdout());
        Cmd.Result stop = Cmd.run(null, ENV, Cmd.JAILD, "stop", String.valueOf(UID));
        assertEquals(0, stop.exit(), stop::toString);
        assertNotEquals(0, Cmd.run("pgrep", "-u", String.valueOf(UID)).exit(), "nothing of it is left");
        assertFalse(Files.exists(RUN.resolve(UID + ".sock")));
    }
}

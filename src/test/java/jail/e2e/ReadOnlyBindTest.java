package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A read-only bind is read-only all the way down: a host mount below the bind source (here a tmpfs with a
 * device node in it) comes along read-only, nosuid and nodev too. Bind targets never follow a symbolic link
 * the container planted, and a source inside ROOTDIR (or a link into it) is refused.
 */
@RequiresRoot
class ReadOnlyBindTest {
    static final int UID = 67010;
    static final Path DIR = TestContainer.WORK.resolve("jwl-robind");
    static final Path SOURCE = DIR.resolve("src");
    static final Path SUB = SOURCE.resolve("sub");

    @BeforeAll
    static void start() throws Exception {
        Cmd.run(Cmd.JAILD, "stop", "jwl-ro");
        Cmd.run("umount", SUB.toString()); // a leftover, before its directory is removed
        TestContainer.mountTmpfs(TestContainer.freshDir(DIR).resolve("src/sub"));
        Cmd.ok("mknod", "-m", "666", SUB.resolve("null").toString(), "c", "1", "3");
        Files.writeString(SUB.resolve("file"), "host\n");
        Cmd.ok("chmod", "666", SUB.resolve("file").toString());
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root").toString(), "--uid", String.valueOf(UID));
        Cmd.Result r = Cmd.run(Cmd.JAILD, "start", "--config", config("jwl-ro", UID, DIR.resolve("root"),
                "{ source: " + SOURCE + ", target: /data, read-only: true }").toString());
        assertEquals(0, r.exit(), r::toString);
    }

    @AfterAll
    static void stop() {
        Cmd.run(Cmd.JAILD, "stop", "jwl-ro");
        Cmd.run("pkill", "-KILL", "-u", String.valueOf(UID));
        Cmd.run("umount", SUB.toString());
        Cmd.run("rm", "-rf", DIR.toString());
    }

    static Path config(String name, int uid, Path root, String bind) throws Exception {
        Path file = DIR.resolve(name + ".yaml");
        Files.writeString(file, "jail:\n  containers:\n    " + name + ":\n      uid: " + uid + "\n      root: " + root
                + "\n      binds:\n        - " + bind + "\n");
        return file;
    }

    static Cmd.Result inside(String command) {
        return Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", command);
    }

    @Test
    void writingIntoASubmountFailsWithEROFS() throws Exception {
        Cmd.Result top = inside("echo x > /data/new");
        assertNotEquals(0, top.exit(), top::toString);
        Cmd.Result sub = inside("echo inside > /data/sub/file");
        assertNotEquals(0, sub.exit(), sub::toString);
        assertTrue(sub.stderr().contains("Read-only file system"), sub::toString);
        assertEquals("host\n", Files.readString(SUB.resolve("file")));
    }

    @Test
    void aDeviceInASubmountCannotBeOpened() {
        Cmd.Result r = inside("echo x > /data/sub/null");
        assertNotEquals(0, r.exit(), "nodev: the device node below the bind must not open: " + r);
        assertTrue(r.stderr().contains("Permission denied"), r::toString);
    }

    @Test
    void theSubmountIsReadOnlyNosuidNodev() {
        String mountinfo = Cmd.ok(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "cat /proc/self/mountinfo");
        String line = Cmd.lines(mountinfo).stream().filter(l -> l.split(" ")[4].equals("/data/sub")).findFirst()
                .orElseThrow(() -> new AssertionError("no /data/sub mount inside:\n" + mountinfo));
        java.util.List<String> options = java.util.List.of(line.split(" ")[5].split(","));
        assertTrue(options.containsAll(java.util.List.of("ro", "nosuid", "nodev")), line);
    }

    /** jaild start with one bind; it must fail with one line naming the problem. */
    static void assertBindRefused(String name, int uid, String bind, String reason) throws Exception {
        Path root = DIR.resolve("root-" + name);
        Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", String.valueOf(uid));
        plant(root);
        Cmd.Result r = Cmd.run(Cmd.JAILD, "start", "--config", config(name, uid, root, bind.replace("ROOT", root.toString())).toString());
        Cmd.run(Cmd.JAILD, "stop", name);
        assertNotEquals(0, r.exit(), r::toString);
        var failed = Cmd.lines(r.stdout()).stream().filter(l -> l.startsWith(name + ": failed: ")).toList();
        assertEquals(1, failed.size(), r::toString);
        assertTrue(failed.get(0).contains(reason), r::toString);
        assertEquals("", r.stderr(), "nothing else, no stack trace: " + r);
        assertFalse(Files.exists(Path.of("/run/jail/" + uid + ".args")), "a failed start leaves no argument file");
    }

    /** What the container could have planted in its own ROOTDIR. */
    static void plant(Path root) throws Exception {
        Files.createSymbolicLink(root.resolve("mnt"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("hostlink"), DIR);
    }

    @Test
    void aTargetThatIsASymlinkInTheContainerIsRefused() throws Exception {
        assertBindRefused("jwl-t1", 67011, "{ source: " + SOURCE + ", target: /mnt, read-only: true }", "symbolic link");
    }

    @Test
    void aTargetThroughASymlinkInTheContainerIsRefused() throws Exception {
        assertBindRefused("jwl-t2", 67012, "{ source: " + SOURCE + ", target: /hostlink/x, read-only: true }", "symbolic link");
        assertFalse(Files.exists(DIR.resolve("x")), "nothing was created through the link");
    }

    @Test
    void aSourceInsideRootdirIsRefused() throws Exception {
        assertBindRefused("jwl-s1", 67013, "{ source: ROOT/home, target: /h, read-only: true }", "inside");
    }

    @Test
    void aSourceThatLinksIntoRootdirIsRefused() throws Exception {
        Files.createSymbolicLink(DIR.resolve("into-root"), DIR.resolve("root-jwl-s2/home"));
        assertBindRefused("jwl-s2", 67014, "{ source: " + DIR.resolve("into-root") + ", target: /h, read-only: true }", "inside");
    }
}

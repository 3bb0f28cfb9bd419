package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Where setuid works inside (--allow-setuid, no-new-privs: false, uid 0), root inside can make setuid-root
 * programs under ROOTDIR and under writable bind sources; those are host directories, so any host user who
 * can reach them gets a root shell on the host. jaild refuses such a container unless a directory on the
 * way is root's and closed to others. The attack itself runs when jaild does not refuse.
 */
@RequiresRoot
class SetuidReachTest {
    static final Path DIR = TestContainer.WORK.resolve("jwl-setuid");
    static final Path PRIVATE = DIR.resolve("private");
    static final String OTHER = "jwlother";
    static final int OTHER_UID = 67002;
    static final int[] UIDS = {67001, 67003, 67004, 67005, 67006};

    @BeforeAll
    static void prepare() throws Exception {
        for (int uid : UIDS) Cmd.run(Cmd.JAILD, "stop", String.valueOf(uid));
        TestContainer.freshDir(PRIVATE);
        Files.setPosixFilePermissions(PRIVATE, PosixFilePermissions.fromString("rwx------"));
        Cmd.run("userdel", OTHER);
        Cmd.ok("useradd", "-M", "-N", "-d", "/nonexistent", "-u", String.valueOf(OTHER_UID), "-s", "/bin/sh",
                "-K", "UID_MAX=70000", OTHER);
    }

    @AfterAll
    static void cleanUp() {
        for (int uid : UIDS) {
            Cmd.run(Cmd.JAILD, "stop", String.valueOf(uid));
            Cmd.run("pkill", "-KILL", "-u", String.valueOf(uid));
        }
        Cmd.run("userdel", OTHER);
        Cmd.run("rm", "-rf", DIR.toString());
    }

    /** The one line of a refusal: names the path and says what to do. */
    static void assertRefused(Cmd.Result r, Path path) {
        assertNotEquals(0, r.exit(), r::toString);
        String all = r.stdout() + r.stderr();
        assertTrue(all.contains(path.toString()) && all.contains("0700"), "the refusal names the path and the fix: " + r);
        assertFalse(all.contains("Exception") || all.contains("\tat "), "no stack trace: " + r);
    }

    @Test
    void allowSetuidOnARootdirOthersCanReachIsRefused() throws Exception {
        try (TestContainer c = TestContainer.busybox("jwlsuid", 67001)) {
            // The way to root inside that --allow-setuid is for: su, here busybox's, with an empty root password.
            Files.writeString(c.root.resolve("etc/passwd"),
                    Files.readString(c.root.resolve("etc/passwd")).replace("root:x:0:0", "root::0:0"));
            Cmd.ok("chmod", "4755", c.root.resolve("bin/busybox").toString());
            // A shell the user brought along (the host's bash: it is run from the host in the end).
            Files.copy(Path.of("/bin/bash"), c.root.resolve("home/work/sh"));
            Cmd.ok("chown", "67001:67001", c.root.resolve("home/work/sh").toString());

            Cmd.Result r = Cmd.run(c.jaildArgv("--allow-setuid"));
            if (r.exit() == 0) {
                Cmd.Result inside = c.su("su -c 'cp /home/work/sh /tmp/rootsh && chmod 4755 /tmp/rootsh'");
                Cmd.Result host = Cmd.run("su", OTHER, "-s", "/bin/sh", "-c", c.root.resolve("tmp/rootsh") + " -p -c 'id -u'");
                fail("jaild started a container with setuid allowed on " + c.root + ", reachable by other host users; "
                        + "root inside made a setuid shell (" + inside.exit() + "), and host user " + OTHER
                        + " ran it and got euid " + host.stdout().trim() + " (" + host.stderr().trim() + ")");
            }
            assertRefused(r, c.root);
        }
    }

    @Test
    void allowSetuidOnAPrivateRootdirStarts() {
        Path root = PRIVATE.resolve("root-jaild");
        Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", "67003");
        Cmd.Result r = Cmd.run(Cmd.JAILD, "-u", "67003", "-r", root.toString(), "--allow-setuid");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok\n", Cmd.ok(Cmd.JAIL, "--uid", "67003", "-c", "echo ok"));
        Cmd.ok(Cmd.JAILD, "stop", "67003");
    }

    static Path config(String name, int uid, Path root, String extra) throws Exception {
        Path file = DIR.resolve(name + ".yaml");
        Files.writeString(file, "jail:\n  containers:\n    " + name + ":\n      uid: " + uid + "\n      root: " + root
                + "\n      no-new-privs: false\n" + extra);
        return file;
    }

    @Test
    void noNewPrivsFalseOnARootdirOthersCanReachIsRefused() throws Exception {
        Path root = DIR.resolve("root-open");
        Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", "67004");
        Cmd.Result r = Cmd.run(Cmd.JAILD, "start", "--config", config("jwl-open", 67004, root, "").toString());
        assertTrue(r.stdout().contains("jwl-open: failed: "), r::toString);
        assertRefused(r, root);
    }

    /** jaild start of a container on a private ROOTDIR with one writable bind of {@code source} (made for uid). */
    static Cmd.Result startWithWritableBind(String name, int uid, Path source) throws Exception {
        Path root = PRIVATE.resolve("root-" + name);
        Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", String.valueOf(uid));
        Files.createDirectories(source);
        Cmd.ok("chown", String.valueOf(uid), source.toString());
        return Cmd.run(Cmd.JAILD, "start", "--config", config(name, uid, root,
                "      binds:\n        - { source: " + source + ", target: /data, read-only: false }\n").toString());
    }

    @Test
    void aWritableBindSourceOthersCanReachIsRefused() throws Exception {
        Path shared = DIR.resolve("shared");
        Cmd.Result r = startWithWritableBind("jwl-bind", 67005, shared);
        assertTrue(r.stdout().contains("jwl-bind: failed: "), r::toString);
        assertRefused(r, shared);
    }

    @Test
    void privateRootdirAndWritableBindSourceStart() throws Exception {
        Cmd.Result r = startWithWritableBind("jwl-ok", 67006, PRIVATE.resolve("data"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok\n", Cmd.ok(Cmd.JAIL, "--uid", "67006", "-c", "echo ok > /data/x && cat /data/x"));
        Cmd.ok(Cmd.JAILD, "stop", "jwl-ok");
    }
}

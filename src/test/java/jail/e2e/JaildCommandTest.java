package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Every way to get jaild's or jail's command line wrong gets one clear line and a non-zero exit. */
@RequiresRoot
class JaildCommandTest {
    static TestContainer running;

    @BeforeAll
    static void start() {
        running = TestContainer.busybox("jt-cmd", 62041).start();
    }

    @AfterAll
    static void stop() {
        if (running != null) running.close();
    }

    private static void assertOneLineError(Cmd.Result r, int exit, String message) {
        assertEquals(exit, r.exit(), r::toString);
        assertEquals(message + "\n", r.stderr(), r::toString);
        assertEquals("", r.stdout());
    }

    @Test
    void missingRootDir() {
        assertOneLineError(Cmd.run(Cmd.JAILD, "-u", "62041", "-r", "/nonexistent/rootfs"), 1,
                "jaild: ROOTDIR /nonexistent/rootfs does not exist");
    }

    @Test
    void rootDirIsAFile() {
        assertOneLineError(Cmd.run(Cmd.JAILD, "-u", "62041", "-r", "/etc/hostname"), 1,
                "jaild: ROOTDIR /etc/hostname is not a directory");
    }

    @Test
    void uidNotInTheContainersPasswd() {
        assertOneLineError(Cmd.run(Cmd.JAILD, "-u", "62999", "-r", running.root.toString()), 1,
                "jaild: uid 62999 has no entry in " + running.root + "/etc/passwd");
    }

    @Test
    void alreadyRunning() {
        assertOneLineError(Cmd.run(Cmd.JAILD, "-u", "62041", "-r", running.root.toString()), 1,
                "jaild: a container for uid 62041 is already running (init pid " + running.initPid() + ", root "
                        + running.root + ")");
    }

    @Test
    void notRoot() {
        assertOneLineError(Cmd.run("runuser", "-u", "nobody", "--", Cmd.JAILD, "-u", "62041", "-r", running.root.toString()),
                1, "jaild: only root may start a container for another uid (yours is 65534; leave out -u, or -u 0 for root inside)");
        // An ordinary user's jaild sees its own (rootless) containers only: root's are not there for it.
        assertOneLineError(Cmd.run("runuser", "-u", "nobody", "--", Cmd.JAILD, "stop", "62041"),
                1, "jaild: no container for uid 62041");
    }

    @Test
    void badFlags() {
        assertOneLineError(Cmd.run(Cmd.JAILD, "--bogus"), 2, "jaild: Unknown option: '--bogus' (see 'jaild --help')");
        assertOneLineError(Cmd.run(Cmd.JAILD, "-u", "abc", "-r", "/tmp"), 2,
                "jaild: Invalid value for option '--uid': 'abc' is not a valid UID (expected UID or UID:GID, numbers) (see 'jaild --help')");
        assertOneLineError(Cmd.run(Cmd.JAILD, "-u", "62041"), 2,
                "jaild: both -u UID and -r ROOTDIR are needed to start a container (see 'jaild --help')");
        assertOneLineError(Cmd.run(Cmd.JAILD, "stop"), 2,
                "jaild: Error: Missing required argument (specify one of these): (NAME|UID | --all) (see 'jaild --help')");
    }

    @Test
    void explicitGidIsUsed() throws Exception {
        try (TestContainer c = TestContainer.busybox("jt-gid", 62042)) {
            Files.writeString(c.root.resolve("etc/group"), "staff2:x:777:\n", java.nio.file.StandardOpenOption.APPEND);
            Cmd.Result r = Cmd.run(Cmd.JAILD, "-u", "62042:777", "-r", c.root.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("", r.stdout() + r.stderr(), "jaild prints nothing on success");
            assertEquals("62042 777\n", c.su("echo $(id -u) $(id -g)").stdout());
        }
    }

    @Test
    void jailWithoutAContainerSaysSo() {
        Cmd.run("userdel", "jt-nobox");
        Cmd.ok("useradd", "-M", "-N", "-d", "/tmp", "-u", "62043", "-s", Cmd.JAIL, "-K", "UID_MAX=70000", "jt-nobox");
        try {
            Cmd.Result r = Cmd.su("jt-nobox", "id");
            assertOneLineError(r, 1, "jail: no container is running for uid 62043");
        } finally {
            Cmd.run("userdel", "jt-nobox");
        }
    }

    @Test
    void jailArgumentErrors() {
        assertOneLineError(Cmd.run(Cmd.JAIL, "--bogus"), 2, "jail: unknown option --bogus (see 'jail --help')");
        assertOneLineError(Cmd.run(Cmd.JAIL, "-c"), 2, "jail: option -c needs a COMMAND (see 'jail --help')");
    }

    @Test
    void launchersWorkThroughASymlinkFromAnyDirectory() throws Exception {
        Path link = Files.createTempDirectory("jail-link").resolve("jaild");
        Files.createSymbolicLink(link, Path.of(Cmd.JAILD));
        Cmd.Result r = Cmd.run("sh", "-c", "cd / && " + link + " list");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stdout().startsWith("NAME "), r.stdout());
    }
}

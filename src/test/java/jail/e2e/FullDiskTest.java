package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A full disk inside a container: the writer gets ENOSPC and a non-zero status, the session ends cleanly, and
 * the init keeps serving with no leaked thread or fd. The "disk" is a 1 MiB tmpfs the test mounts on the host
 * and the container gets through a configured bind mount.
 */
@RequiresRoot
class FullDiskTest {
    static final Path DIR = TestContainer.WORK.resolve("full-disk-test");
    static final Path DISK = DIR.resolve("disk");
    static final int UID = 62210;

    @BeforeAll
    static void start() throws Exception {
        Cmd.run(Cmd.JAILD, "stop", "full-disk");
        Cmd.run("umount", DISK.toString());
        Cmd.run("rm", "-rf", DIR.toString());
        Files.createDirectories(DISK);
        Cmd.ok("mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", DISK.toString());
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root").toString(), "--uid", String.valueOf(UID));
        Path config = DIR.resolve("jail.yaml");
        Files.writeString(config, "jail:\n  containers:\n    full-disk:\n      uid: " + UID + "\n      root: " + DIR.resolve("root")
                + "\n      binds:\n        - { source: " + DISK + ", target: /data, read-only: false }\n");
        Cmd.Result r = Cmd.run(Cmd.JAILD, "start", "--config", config.toString());
        assertEquals(0, r.exit(), r::toString);
    }

    @AfterAll
    static void stop() {
        Cmd.run(Cmd.JAILD, "stop", "full-disk");
        Cmd.run("umount", DISK.toString());
        Cmd.run("rm", "-rf", DIR.toString());
    }

    static int count(String what) throws Exception {
        int pid = Integer.parseInt(Cmd.ok(Cmd.JAILD, "status", "full-disk", "--json").replaceAll("(?s).*\"pid\" : (\\d+).*", "$1"));
        if (what.equals("fds")) {
            try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                return (int) s.count();
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
        }
        throw new AssertionError("no Threads line");
    }

    @Test
    void aWriterThatFillsTheDiskFailsAndTheContainerLivesOn() throws Exception {
        // Warm up first: the init's worker pool starts its threads with the first sessions.
        for (int i = 0; i < 3; i++) Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "true");
        int threads = count("threads");
        int fds = count("fds");
        Cmd.Result fill = Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "cat /dev/zero > /data/fill");
        assertEquals(1, fill.exit(), fill::toString);
        assertTrue(fill.stderr().contains("No space left on device"), fill.stderr());
        assertEquals("alive\n", Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "rm /data/fill; echo alive").stdout());
        long deadline = System.currentTimeMillis() + 10_000;
        while ((count("threads") > threads || count("fds") > fds) && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertTrue(count("threads") <= threads, "no leaked thread");
        assertTrue(count("fds") <= fds, "no leaked fd");
        String log = Files.readString(Path.of("/var/log/jail/" + UID + ".log"));
        assertTrue(log.contains("command: cat /dev/zero > /data/fill") && log.contains("ended: exit 1"), log);
    }
}

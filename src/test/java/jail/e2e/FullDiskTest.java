package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        Cmd.run("umount", DISK.toString()); // before its directory is removed
        TestContainer.freshDir(DIR);
        TestContainer.mountTmpfs(DISK);
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

    /** The init's pid, read once: {@code jaild status} itself connects to the init, so it must not run between fd counts. */
    static int initPid() {
        return Integer.parseInt(Cmd.ok(Cmd.JAILD, "status", "full-disk", "--json").replaceAll("(?s).*\"pid\" : (\\d+).*", "$1"));
    }

    static int threads(int pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
        }
        throw new AssertionError("no Threads line");
    }

    /**
     * Connections the init holds on its socket: accepted unix sockets carry the listener's path in
     * /proc/net/unix (the init shares the host's network namespace), in state 03, connected.
     */
    static long connections(int uid) {
        try {
            return Files.readAllLines(Path.of("/proc/net/unix")).stream()
                    .filter(l -> l.endsWith(" /run/jail/" + uid + ".sock") && l.split("\\s+")[5].equals("03")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What each open fd of the init points at, so a failure names the leaked ones. */
    static List<String> fds(int pid) throws Exception {
        List<String> targets = new ArrayList<>();
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    targets.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (java.nio.file.NoSuchFileException closedMeanwhile) {
                    // closed between listing and reading: not open any more
                }
            }
        }
        return targets;
    }

    @Test
    void aWriterThatFillsTheDiskFailsAndTheContainerLivesOn() throws Exception {
        // Warm up first: the init's worker pool starts its threads with the first sessions.
        int pid = initPid();
        for (int i = 0; i < 3; i++) Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "true");
        // The init closes the last warm-up session's socket after the client has gone.
        Await.until(Duration.ofSeconds(10), () -> connections(UID) == 0, () -> "the init keeps " + connections(UID) + " connections");
        int threads = threads(pid);
        List<String> fds = fds(pid);
        Cmd.Result fill = Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "cat /dev/zero > /data/fill");
        assertEquals(1, fill.exit(), fill::toString);
        assertTrue(fill.stderr().contains("No space left on device"), fill.stderr());
        assertEquals("alive\n", Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "rm /data/fill; echo alive").stdout());
        Await.value(Duration.ofSeconds(10), () -> threads(pid), now -> now <= threads, now -> "no leaked thread: " + now + " > " + threads);
        List<String> after = Await.value(Duration.ofSeconds(10), () -> fds(pid), now -> now.size() <= fds.size(),
                now -> "no leaked fd: before " + fds + "\nafter " + now);
        String log = Files.readString(Path.of("/var/log/jail/" + UID + ".log"));
        assertTrue(log.contains("command: cat /dev/zero > /data/fill") && log.contains("ended: exit 1"), log);
    }
}

package jail.e2e;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code jaild list} finds running containers again; {@code jaild stop} leaves nothing behind. */
@RequiresRoot
class StopAndListTest {

    @Test
    void listShowsARunningContainerAndStopRemovesEverything() throws Exception {
        try (TestContainer c = TestContainer.busybox("jt-stop", 62021).start()) {
            int pid = c.initPid();
            assertEquals(0, c.su("setsid sleep 900 </dev/null >/dev/null 2>&1 &").exit());
            assertEquals(0, Cmd.run("pgrep", "-u", "62021", "sleep").exit(), "a detached job runs in the container");

            String list = Cmd.ok(Cmd.JAILD, "list");
            String row = Cmd.lines(list).stream().filter(l -> l.startsWith("62021 ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for 62021 in:\n" + list));
            String[] f = row.split("\\s+");
            // NAME UID GID PID STATE SESSIONS UPTIME ROOT; a container started with -u is named by its uid
            assertEquals("62021", f[1], "uid: " + row);
            assertEquals("62021", f[2], "gid: " + row);
            assertEquals(String.valueOf(pid), f[3], row);
            assertEquals("running", f[4], row);
            assertEquals("0", f[5], "no session is open: " + row);
            assertEquals(c.root.toString(), f[7], row);

            Cmd.Result stop = Cmd.run(Cmd.JAILD, "stop", "62021");
            assertEquals(0, stop.exit(), stop::toString);
            assertEquals("", stop.stdout() + stop.stderr());

            assertFalse(isRunning(pid), "the init is gone");
            assertNotEquals(0, Cmd.run("pgrep", "-u", "62021").exit(), "no process of the container is left");
            assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(c.root.toString()),
                    "no mount under ROOTDIR is left on the host");
            assertFalse(Files.exists(Path.of("/run/jail/62021.sock")));
            assertFalse(Files.exists(Path.of("/run/jail/62021.state")));
            assertFalse(Cmd.ok(Cmd.JAILD, "list").contains("62021"));
            assertTrue(Files.isDirectory(c.root.resolve("proc")) && Files.list(c.root.resolve("dev")).findAny().isEmpty(),
                    "ROOTDIR is left as it was: its /dev is still empty");

            Cmd.Result again = Cmd.run(Cmd.JAILD, "stop", "62021");
            assertEquals(1, again.exit());
            assertEquals("jaild: no container for uid 62021\n", again.stderr());

            c.start();
            assertEquals("62021\n", c.su("id -u").stdout(), "a stopped uid can be started again");
        }
    }

    @Test
    void aContainerSurvivesItsInitBeingKilledOnlyAsStaleState() throws Exception {
        try (TestContainer c = TestContainer.busybox("jt-crash", 62022).start()) {
            int pid = c.initPid();
            Cmd.ok("kill", "-KILL", String.valueOf(pid));
            Await.until(Duration.ofSeconds(5), () -> !isRunning(pid), () -> "the killed init " + pid + " is still there");
            Cmd.Result r = c.su("id");
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.stderr().startsWith("jail: the container for uid 62022 is not running"), r.stderr());
            assertTrue(Cmd.ok(Cmd.JAILD, "list").contains("dead"));
            c.start(); // a dead container's uid can be started again: the stale socket is replaced
            assertEquals("62022\n", c.su("id -u").stdout());
        }
    }

    static boolean isRunning(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (Exception e) {
            return false;
        }
    }
}

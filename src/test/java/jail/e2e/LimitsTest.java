package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * cgroup limits from the configuration, enforced for real: a fork bomb stops at the pids limit and a memory
 * hog is OOM-killed inside, while the container and its other sessions live on.
 */
@RequiresRoot
class LimitsTest {
    static final Path DIR = TestContainer.WORK.resolve("limits-test");
    static final int UID = 62130;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(UID));
        Cmd.run("rm", "-rf", DIR.toString());
        Files.createDirectories(DIR);
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root").toString(), "--uid", String.valueOf(UID));
        config = DIR.resolve("jail.yaml");
        Files.writeString(config, "jail:\n  containers:\n    limits-test:\n      uid: " + UID + "\n      root: " + DIR.resolve("root")
                + "\n      limits: { memory: 256M, pids: 64, cpu: 1 }\n");
        Cmd.Result r = Cmd.run(Cmd.JAILD, "start", "--config", config.toString());
        assertEquals(0, r.exit(), r::toString);
    }

    @AfterAll
    static void stop() {
        Cmd.run(Cmd.JAILD, "stop", "limits-test");
        Cmd.run("rm", "-rf", DIR.toString());
    }

    static Cmd.Result inside(String command) {
        return Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", command);
    }

    @Test
    void theLimitsAreInForce() {
        String status = Cmd.ok(Cmd.JAILD, "status", "limits-test", "--json");
        assertTrue(status.contains("\"memoryLimit\" : \"256M\""), status);
        assertTrue(status.contains("\"pidsLimit\" : 64"), status);
        assertTrue(status.contains("\"cpuLimit\" : 1.0"), status);
    }

    @Test
    void aForkBombStopsAtThePidsLimit() throws Exception {
        // Each sleep holds a pid; past the limit the kernel refuses the forks and the shell says so.
        Cmd.Result bomb = inside("n=0; while [ $n -lt 200 ]; do sleep 5 </dev/null >/dev/null 2>&1 & n=$((n+1)); done; echo looped");
        assertTrue(bomb.stderr().contains("can't fork") || bomb.stderr().contains("Resource temporarily unavailable"),
                "forks were refused: " + bomb);
        Path events = Path.of("/sys/fs/cgroup/pids/jail/uid-" + UID + "/pids.events");
        if (Files.exists(events)) {
            assertTrue(Files.readString(events).matches("(?s)max [1-9]\\d*\\s*"), Files.readString(events));
        }
        // Once the sleeps are over, the container and new sessions live on.
        Await.value(Duration.ofSeconds(30), () -> inside("echo alive"), alive -> alive.stdout().equals("alive\n"),
                Cmd.Result::toString);
    }

    @Test
    void aMemoryHogIsKilledInsideWhileOtherSessionsLiveOn() throws Exception {
        Process bystander = Cmd.start(java.util.Map.of(), Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "sleep 60; echo bystander-done");
        try {
            Cmd.Result hog = inside("tail /dev/zero");
            assertEquals(137, hog.exit(), "killed by SIGKILL (the OOM killer): " + hog);
            assertEquals("alive\n", inside("echo alive").stdout());
            assertTrue(bystander.isAlive(), "the other session lives on");
            assertTrue(Files.readString(Path.of("/sys/fs/cgroup/memory/jail/uid-" + UID + "/memory.oom_control"))
                    .contains("oom_kill 1") || !Files.exists(Path.of("/sys/fs/cgroup/memory/jail")), "one OOM kill, in our cgroup");
        } finally {
            bystander.destroyForcibly();
            bystander.waitFor();
        }
    }
}

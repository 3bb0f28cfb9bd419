package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * cgroup limits from the configuration, enforced for real: a fork bomb stops at the pids limit and a memory
 * hog is OOM-killed inside, while the container and its other sessions live on.
 */
@RequiresRoot
class LimitsTest {
    static final int UID = 62130;
    static LimitedContainer container;

    @BeforeAll
    static void start() throws Exception {
        container = LimitedContainer.start("limits-test", UID, "memory: 256M, pids: 64, cpu: 1");
    }

    @AfterAll
    static void stop() {
        if (container != null) container.close();
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
        // The container's limit refused them: a session's own cgroup has none (v1 counts the refusal, pids.events,
        // in the forking session's cgroup, which is gone with it).
        assertEquals("64", Files.readString(Path.of("/sys/fs/cgroup/pids/jail/uid-" + UID + "/pids.max")).strip());
        // Once the sleeps are over, the container and new sessions live on.
        container.awaitAlive();
    }

    @Test
    void aMemoryHogIsKilledInsideWhileOtherSessionsLiveOn() throws Exception {
        Process bystander = Cmd.start(java.util.Map.of(), Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "sleep 60; echo bystander-done");
        try {
            Cmd.Result hog = inside("tail /dev/zero");
            assertEquals(137, hog.exit(), "killed by SIGKILL (the OOM killer): " + hog);
            assertEquals("alive\n", inside("echo alive").stdout());
            assertTrue(bystander.isAlive(), "the other session lives on");
            // The container's whole cgroup reached its limit (v1 counts the OOM kill itself in the session's
            // cgroup, gone with it).
            Path peak = Path.of("/sys/fs/cgroup/memory/jail/uid-" + UID + "/memory.max_usage_in_bytes");
            if (Files.exists(peak)) {
                long bytes = Long.parseLong(Files.readString(peak).strip());
                assertTrue(bytes > 240L << 20 && bytes <= 256L << 20, "the container's peak is at its 256M limit: " + bytes);
            }
        } finally {
            bystander.destroyForcibly();
            bystander.waitFor();
        }
    }
}

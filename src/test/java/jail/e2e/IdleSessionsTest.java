package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Many idle sessions beside a busy one: the relay watches each session's fds only while it wants them, so
 * the busy session's data arrives intact while hundreds of others sit open, the idle ones live on untouched,
 * and when their client goes they all end with their programs and the init gives back every fd they held.
 * The idle sessions are held by bench/sessions.py (one process speaking the protocol), not one JVM each.
 */
@RequiresRoot
class IdleSessionsTest {
    static final int IDLE = 200;
    static final int BIG = 64 << 20;

    static TestContainer c;

    @BeforeAll
    static void start() throws IOException {
        c = TestContainer.busybox("jepidle", 60500).start("--max-sessions", String.valueOf(IDLE + 20));
        Cmd.ok("dd", "if=/dev/urandom", "of=" + c.root.resolve("home/work/big"), "bs=1M", "count=" + (BIG >> 20),
                "status=none");
    }

    @AfterAll
    static void stop() {
        if (c != null) c.close();
    }

    @Test
    void aBusySessionBesideManyIdleOnesArrivesIntactAndTheIdleOnesEndWithTheirClient() throws Exception {
        int fdsBefore = c.initFds();
        Process idle = Cmd.start(Cmd.Io.CONVERSATION, Map.of(), SocketAbuseTest.PYTHON,
                Cmd.PROJECT.resolve("bench/sessions.py").toString(), "/run/jail/" + c.uid + ".sock",
                String.valueOf(IDLE), "exec sleep 86400");
        try {
            RelayExhaustionTest.awaitLine(idle, "ready " + IDLE, Duration.ofSeconds(300));
            Await.until(Duration.ofSeconds(60), () -> RelayExhaustionTest.named(c, "sleep").size() == IDLE,
                    () -> "every idle session runs its sleep: " + RelayExhaustionTest.named(c, "sleep").size());

            String want = RelayIntegrityTest.sha256Of(c.root.resolve("home/work/big"), 4);
            Cmd.Result busy = RelayIntegrityTest.bash(c, "set -o pipefail; $JAIL -c 'cat /home/work/big /home/work/big"
                    + " /home/work/big /home/work/big' | sha256sum");
            assertEquals(0, busy.exit(), busy::toString);
            assertEquals(want + "  -\n", busy.stdout(), "256 MiB beside " + IDLE + " idle sessions");
            Cmd.Result echo = c.jail("echo ok");
            assertEquals("ok\n", echo.stdout(), echo::toString);

            assertTrue(idle.isAlive(), "no idle session ended meanwhile (sessions.py exits when one does)");
            assertEquals(IDLE, RelayExhaustionTest.named(c, "sleep").size(), "the idle sessions live on");
        } finally {
            idle.destroy(); // SIGTERM: it exits, and its sockets close
            Await.exit(idle, Duration.ofSeconds(30));
        }
        Await.until(Duration.ofSeconds(120), () -> RelayExhaustionTest.named(c, "sleep").isEmpty(),
                () -> "the idle sessions are hung up with their client: " + RelayExhaustionTest.named(c, "sleep").size() + " left");
        Await.until(Duration.ofSeconds(60), () -> c.initFds() <= fdsBefore,
                () -> "the init gives back their fds: " + c.initFds() + ", before " + fdsBefore);
        Cmd.Result after = c.jail("echo still");
        assertEquals("still\n", after.stdout(), after::toString);
    }
}

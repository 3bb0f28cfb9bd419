package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The container's user attacks its init while sessions start: a program inside loops over every thread of
 * PID 1, reading its credentials and trying kill(SIGTERM) and prlimit on each. The kernel judges both against
 * the target thread's own credentials, so a thread of the init that ever held the user's uid (as a spawner
 * thread that dropped privileges in the JVM did) would let it kill the container or shrink the init's limits.
 * No thread of the init may hold them, ever; and no signal sent from inside ends the init.
 */
@RequiresRoot
class InitUntouchableTest {
    static final int LOGINS = 50;
    static TestContainer c;
    static TestContainer signalled;

    @BeforeAll
    static void start() throws IOException {
        c = TestContainer.busybox("jt-sec-init", 69001);
        Path attacker = c.root.resolve("usr/local/bin/init-attacker");
        Files.createDirectories(attacker.getParent());
        Cmd.ok("gcc", "-static", "-O2", "-o", attacker.toString(), Cmd.PROJECT.resolve("src/test/c/init-attacker.c").toString());
        c.start();
        signalled = TestContainer.rootContainer("busybox", "jt-sec-sig", 69002).start("--allow-root");
    }

    @AfterAll
    static void stop() {
        if (c != null) c.close();
        if (signalled != null) signalled.close();
    }

    @Test
    void aUserLoopingKillAndPrlimitOverTheInitsThreadsDuringLoginsChangesNothing() throws Exception {
        int pid = c.initPid();
        String limitsBefore = Files.readString(Path.of("/proc/" + pid + "/limits"));
        Path stop = c.root.resolve("tmp/attack-stop");
        Path report = c.root.resolve("tmp/attack-report");
        Files.deleteIfExists(stop);
        Files.deleteIfExists(report);
        Process attack = Cmd.start(Map.of(), "su", "-", c.hostUser, "-c", "init-attacker /tmp/attack-stop > /tmp/attack-report");
        Await.until(Duration.ofSeconds(20), InitUntouchableTest::attackerRuns, () -> "the attacker did not start");

        // Two logins at a time: more spawner windows overlap the attacker's passes.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Cmd.Result>> logins = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) logins.add(pool.submit(() -> c.su("true")));
        int failed = 0;
        for (Future<Cmd.Result> login : logins) if (login.get().exit() != 0) failed++;
        pool.shutdown();

        Files.writeString(stop, "");
        assertTrue(attack.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the attacker did not stop");
        String result = Files.exists(report) ? Files.readString(report).trim() : "";
        if (result.isEmpty()) result = "(no report: the attacker died with its container)";
        assertTrue(result.matches("passes=[1-9][0-9]* seen=0 kills=0 prlimits=0"),
                "a thread of the init held the user's credentials: " + result);
        assertEquals(0, failed, "logins failed during the attack");
        assertEquals(pid, c.initPid(), "the init was replaced");
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the init is gone");
        assertEquals(limitsBefore, Files.readString(Path.of("/proc/" + pid + "/limits")), "the init's limits changed");
        String log = Files.readString(Path.of("/var/log/jail/" + c.uid + ".log"));
        assertTrue(log.lines().filter(l -> l.contains(" started: ") && l.endsWith("command: true")).count() >= LOGINS,
                "the log lost session lines:\n" + log);
    }

    static boolean attackerRuns() {
        return c.processes().keySet().stream().anyMatch(p -> {
            try {
                return Files.readString(Path.of("/proc/" + p + "/comm")).trim().equals("init-attacker");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void noSignalSentFromInsideEndsTheInitEvenFromRootInside() {
        int pid = signalled.initPid();
        // Root inside a uid-0 container has the init's own uid, so the kernel lets every signal through that
        // has a handler in PID 1 (the JVM handles SEGV, BUS, FPE, ILL for itself): every signal, to PID 1 and
        // to each of its threads.
        Cmd.Result r = signalled.jail("for s in $(seq 1 31); do kill -$s 1; for t in /proc/1/task/*; do kill -$s ${t##*/}; done; done 2>/dev/null; echo done");
        assertEquals("done\n", r.stdout(), r::toString);
        assertEquals(pid, signalled.initPid());
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the init is gone");
        assertEquals("ok\n", signalled.jail("echo ok").stdout(), "the container still serves");
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jaild run}, the foreground supervisor systemd runs: restarts a killed init, reloads a changed file on
 * SIGHUP without touching unchanged containers or their sessions, and stops everything on SIGTERM.
 */
@RequiresRoot
class SupervisorTest {
    static final Path DIR = TestContainer.WORK.resolve("supervisor-test");
    static final Path RUN = Path.of("/run/jail-e2e-supervisor");
    static final Map<String, String> ENV = Map.of("JAIL_RUN_DIR", RUN.toString());
    static final int UID = 62150;
    static RunningSupervisor supervisor;

    @BeforeAll
    static void prepare() throws Exception {
        Cmd.run("rm", "-rf", DIR.toString(), RUN.toString());
        Files.createDirectories(DIR);
        for (int i = 0; i < 3; i++) {
            Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root-" + i).toString(), "--uid", String.valueOf(UID + i));
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (supervisor != null) supervisor.close();
        Cmd.run(null, ENV, Cmd.JAILD, "stop", "--all");
        Cmd.run("rm", "-rf", DIR.toString(), RUN.toString());
    }

    static String containers(int... indexes) {
        StringBuilder y = new StringBuilder("jail:\n  containers:\n");
        for (int i : indexes) {
            y.append("    sup-").append(i).append(":\n      uid: ").append(UID + i).append("\n      root: ")
                    .append(DIR.resolve("root-" + i)).append("\n");
        }
        return y.toString();
    }

    static int pidOf(String name) {
        for (String line : Cmd.lines(Cmd.run(null, ENV, Cmd.JAILD, "list").stdout())) {
            String[] f = line.split("\\s+");
            if (f[0].equals(name) && f[4].equals("running")) return Integer.parseInt(f[3]);
        }
        return -1;
    }

    @Test
    void restartsReloadsAndStops() throws Exception {
        Path config = DIR.resolve("jail.yaml");
        Files.writeString(config, containers(0, 1));
        supervisor = RunningSupervisor.start(config, ENV, 30_000);
        supervisor.awaitLine("sup-0: started");
        supervisor.awaitLine("sup-1: started");

        // A session that must survive the reload of an unchanged container.
        Process session = Cmd.start(ENV, Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "sleep 120");
        try {
            // 1. a killed init is restarted
            int pid1 = pidOf("sup-1");
            Cmd.ok("kill", "-KILL", String.valueOf(pid1));
            supervisor.awaitLine("sup-1: init (pid " + pid1 + ") exited unexpectedly; restarting in 1 s");
            supervisor.awaitLine("sup-1: started");
            Await.until(Duration.ofSeconds(15), () -> pidOf("sup-1") != -1 && pidOf("sup-1") != pid1,
                    () -> "sup-1 was not restarted with a new init: pid " + pidOf("sup-1"));

            // 2. SIGHUP reloads: sup-2 added, sup-1 removed, sup-0 untouched with its session
            int pid0 = pidOf("sup-0");
            Files.writeString(config, containers(0, 2));
            Cmd.ok("kill", "-HUP", String.valueOf(supervisor.pid()));
            supervisor.awaitLine("sup-1: removed from the configuration");
            supervisor.awaitLine("sup-2: started");
            supervisor.awaitLine("reloaded: 2 container(s)");
            assertEquals(pid0, pidOf("sup-0"), "an unchanged container keeps its init");
            assertTrue(session.isAlive(), "and its sessions");
            assertEquals(-1, pidOf("sup-1"));
            assertFalse(supervisor.printed().contains("sup-0: stopped"), supervisor.printed());

            // 3. SIGTERM stops everything and ends the supervisor cleanly
            assertEquals(0, supervisor.terminate());
            supervisor.awaitLine("stopped");
            assertEquals(1, Cmd.lines(Cmd.run(null, ENV, Cmd.JAILD, "list").stdout()).size(), "no container left");
            assertTrue(session.waitFor(15, TimeUnit.SECONDS), "the session ended with its container");
        } finally {
            session.destroyForcibly();
        }
    }
}

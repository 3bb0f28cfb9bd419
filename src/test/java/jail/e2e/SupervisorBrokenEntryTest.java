package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jaild run} at boot with broken entries among good ones, as after an unmounted disk or a typo: the
 * good containers start at once, each broken one is retried with back-off and its reason logged with the
 * file it comes from; a root that appears later (the disk is mounted) is picked up by the next retry, and a
 * reload that fixes a typo starts the fixed entry.
 */
@RequiresRoot
class SupervisorBrokenEntryTest {
    static final Path DIR = TestContainer.WORK.resolve("supervisor-broken-test");
    static final Path RUN = Path.of("/run/jail-e2e-supervisor-broken");
    static final Map<String, String> ENV = Map.of("JAIL_RUN_DIR", RUN.toString());
    static final int UID = 62300;
    static RunningSupervisor supervisor;

    @BeforeAll
    static void prepare() throws Exception {
        Cmd.run("rm", "-rf", DIR.toString(), RUN.toString());
        Files.createDirectories(DIR);
        for (int i = 0; i < 2; i++) Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root-" + i).toString(), "--uid", String.valueOf(UID + i));
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root-typo").toString(), "--uid", String.valueOf(UID + 3));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (supervisor != null) supervisor.close();
        Cmd.run(null, ENV, Cmd.JAILD, "stop", "--all");
        Cmd.run("rm", "-rf", DIR.toString(), RUN.toString());
    }

    static String entry(String name, int uid, Path root) {
        return "    " + name + ":\n      uid: " + uid + "\n      root: " + root + "\n";
    }

    static String config(String typoRoot) {
        return "jail:\n  containers:\n" + entry("good-0", UID, DIR.resolve("root-0")) + entry("good-1", UID + 1, DIR.resolve("root-1"))
                + entry("late", UID + 2, DIR.resolve("root-late")) + entry("typo", UID + 3, DIR.resolve(typoRoot));
    }

    static boolean running(String name) {
        return Cmd.lines(Cmd.run(null, ENV, Cmd.JAILD, "list").stdout()).stream()
                .anyMatch(l -> l.startsWith(name + " ") && l.contains(" running "));
    }

    @Test
    void startsWhatItCanAndKeepsRetryingTheRest() throws Exception {
        Path config = DIR.resolve("jail.yaml");
        Files.writeString(config, config("root-typp"));
        supervisor = RunningSupervisor.start(config, ENV, 60_000);

        supervisor.awaitLine("good-0: started");
        supervisor.awaitLine("good-1: started");
        supervisor.awaitLine("late: failed to start: " + config + ": ROOTDIR " + DIR.resolve("root-late") + " does not exist; retrying in 1 s");
        supervisor.awaitLine("typo: failed to start: " + config + ": ROOTDIR " + DIR.resolve("root-typp") + " does not exist; retrying in 1 s");
        supervisor.awaitLine("late: failed to start: " + config + ": ROOTDIR " + DIR.resolve("root-late") + " does not exist; retrying in 2 s");

        // The disk is mounted: the next retry starts it.
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root-late").toString(), "--uid", String.valueOf(UID + 2));
        supervisor.awaitLine("late: started (uid " + (UID + 2));
        Await.until(Duration.ofSeconds(10), () -> running("late"), () -> "late is not running");

        // The typo is fixed in the file: a reload starts it.
        Files.writeString(config, config("root-typo"));
        Cmd.ok("kill", "-HUP", String.valueOf(supervisor.pid()));
        supervisor.awaitLine("typo: started (uid " + (UID + 3));
        assertTrue(running("good-0") && running("good-1") && running("late") && running("typo"), supervisor.printed());

        assertEquals(0, supervisor.terminate());
    }
}

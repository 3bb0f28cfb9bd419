package jail.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Many containers from one YAML file: batch start with a broken entry among them, list/status/stop/restart
 * with and without --json, configuration errors with file, key and reason. Uses a state directory of its own
 * (JAIL_RUN_DIR), so that "stop --all" touches only these containers. Each test starts what it needs (a start of
 * a running container leaves it alone), so that none depends on another having run.
 */
@RequiresRoot
class ConfigurationTest {
    static final Path DIR = TestContainer.WORK.resolve("config-test");
    static final Path RUN = Path.of("/run/jail-e2e-config");
    static final Map<String, String> ENV = Map.of("JAIL_RUN_DIR", RUN.toString(), "JAIL_LOG_DIR", DIR.resolve("log").toString());
    static final int BASE_UID = 62100;
    static Path config;

    @BeforeAll
    static void prepare() throws Exception {
        Cmd.run("rm", "-rf", DIR.toString());
        Files.createDirectories(DIR);
        StringBuilder yaml = new StringBuilder("jail:\n  containers:\n");
        for (int i = 0; i < 10; i++) {
            Path root = DIR.resolve("root-" + i);
            Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", String.valueOf(BASE_UID + i));
            yaml.append("    cfg-").append(i).append(":\n      uid: ").append(BASE_UID + i).append("\n      root: ").append(root)
                    .append("\n      hostname: cfg-").append(i).append("\n");
        }
        // Valid as configuration, but each broken in its own world: fails when started, alone.
        yaml.append("    broken:\n      uid: ").append(BASE_UID + 10).append("\n      root: ").append(DIR.resolve("root-0")).append("\n");
        yaml.append("    unmounted:\n      uid: ").append(BASE_UID + 12).append("\n      root: /nonexistent/disk/root\n");
        yaml.append("    notadir:\n      uid: ").append(BASE_UID + 13).append("\n      root: /etc/hostname\n");
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root-nobind").toString(), "--uid", String.valueOf(BASE_UID + 14));
        yaml.append("    nobind:\n      uid: ").append(BASE_UID + 14).append("\n      root: ").append(DIR.resolve("root-nobind"))
                .append("\n      binds:\n        - { source: /nonexistent/share }\n");
        yaml.append("    manual:\n      uid: ").append(BASE_UID + 11).append("\n      root: ").append(DIR.resolve("root-manual"))
                .append("\n      autostart: false\n");
        Cmd.ok(Cmd.MKROOTFS, "busybox", DIR.resolve("root-manual").toString(), "--uid", String.valueOf(BASE_UID + 11));
        config = DIR.resolve("jail.yaml");
        Files.writeString(config, yaml.toString());
    }

    @AfterAll
    static void cleanUp() {
        jaild("stop", "--all");
        Cmd.run("rm", "-rf", DIR.toString(), RUN.toString());
    }

    /** Every good container of the file running; the broken ones fail their start, as they must. */
    static void allRunning() {
        Cmd.Result r = jaild("start", "--config", config.toString());
        assertTrue(Cmd.lines(r.stdout()).getLast().startsWith("started 10 of 14 containers"), r::toString);
    }

    /** The named containers running. */
    static void running(String... names) {
        List<String> args = new ArrayList<>(List.of("start", "--config", config.toString()));
        args.addAll(List.of(names));
        Cmd.Result r = jaild(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
    }

    static Cmd.Result jaild(String... args) {
        List<String> argv = new ArrayList<>(List.of(Cmd.JAILD));
        argv.addAll(List.of(args));
        return Cmd.run(null, ENV, argv.toArray(new String[0]));
    }

    @Test
    void batchStartStartsEveryGoodContainerAndReportsTheBrokenOne() {
        jaild("stop", "--all");
        Cmd.Result r = jaild("start", "--config", config.toString());
        assertEquals(1, r.exit(), r::toString);
        List<String> lines = Cmd.lines(r.stdout());
        for (int i = 0; i < 10; i++) {
            String name = "cfg-" + i;
            String expected = name + ": started (uid " + (BASE_UID + i) + ", init pid ";
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(expected)),
                    name + " in\n" + r.stdout());
        }
        assertTrue(lines.contains("broken: failed: " + config + ": uid " + (BASE_UID + 10) + " has no entry in "
                + DIR.resolve("root-0") + "/etc/passwd"), r.stdout());
        assertTrue(lines.contains("unmounted: failed: " + config + ": ROOTDIR /nonexistent/disk/root does not exist"), r.stdout());
        assertTrue(lines.contains("notadir: failed: " + config + ": ROOTDIR /etc/hostname is not a directory"), r.stdout());
        assertTrue(lines.contains("nobind: failed: " + config + ": bind source /nonexistent/share does not exist"), r.stdout());
        assertFalse(r.stdout().contains("manual:"), "autostart: false is not started");
        assertEquals("started 10 of 14 containers; failed: broken, nobind, notadir, unmounted", lines.get(lines.size() - 1));
        assertEquals("", r.stderr());

        Cmd.Result again = jaild("start", "--config", config.toString(), "cfg-3");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.stdout().startsWith("cfg-3: already running (uid " + (BASE_UID + 3) + ", init pid "), again.stdout());
    }

    @Test
    void listShowsThemByNameAsTableAndJson() {
        jaild("stop", "manual");
        allRunning();
        // Sessions of other tests end asynchronously once their clients are gone.
        String table = Await.value(Duration.ofSeconds(15), () -> jaild("list").stdout(),
                t -> t.lines().filter(l -> l.matches("cfg-\\d\\s+\\d+\\s+\\d+\\s+\\d+\\s+running\\s+0\\s+\\S+\\s+/.*")).count() == 10,
                t -> "ten running containers without sessions:\n" + t);
        assertEquals(11, Cmd.lines(table).size(), table);
        JsonArray json = new JsonArray(jaild("list", "--json").stdout());
        assertEquals(10, json.size(), json.encodePrettily());
        JsonObject first = json.getJsonObject(0);
        assertEquals(BASE_UID, first.getInteger("uid"));
        assertEquals("cfg-0", first.getString("name"));
        assertEquals("running", first.getString("state"));
        assertEquals(0, first.getInteger("sessions"));
        assertEquals(RUN.resolve(BASE_UID + ".sock").toString(), first.getString("socket"));
    }

    @Test
    void statusShowsSessionsAndTheHostname() {
        running("cfg-1");
        Process session = Cmd.start(ENV, Cmd.JAIL, "--uid", String.valueOf(BASE_UID + 1), "-c", "hostname; sleep 30");
        try {
            JsonObject status = Await.value(Duration.ofSeconds(15), () -> new JsonObject(jaild("status", "cfg-1", "--json").stdout()),
                    o -> o.getJsonArray("sessionList", new JsonArray()).size() == 1, o -> "one session in " + o.encodePrettily());
            JsonObject s = status.getJsonArray("sessionList").getJsonObject(0);
            assertEquals("work", s.getString("user"));
            assertEquals("local", s.getString("origin"));
            assertEquals("pipes", s.getString("mode"));
            assertEquals("hostname; sleep 30", s.getString("command"));
            assertTrue(status.getInteger("processes") >= 2, status.encodePrettily());
            String text = jaild("status", "cfg-1").stdout();
            assertTrue(text.startsWith("cfg-1 (uid " + (BASE_UID + 1) + ", gid " + (BASE_UID + 1) + "): running"), text);
            assertTrue(text.contains("sessions:  1"), text);
        } finally {
            Cmd.end(session);
        }
    }

    @Test
    void sessionsAreAudited() {
        running("cfg-2");
        Cmd.Result r = Cmd.run(null, ENV, Cmd.JAIL, "--uid", String.valueOf(BASE_UID + 2), "-c", "hostname; exit 3");
        assertEquals(3, r.exit());
        assertEquals("cfg-2\n", r.stdout(), "the configured hostname");
        Path logFile = DIR.resolve("log").resolve((BASE_UID + 2) + ".log");
        // The end is logged just after the client got EXIT.
        String log = Await.value(Duration.ofSeconds(10), () -> Files.readString(logFile), l -> l.contains("ended: exit 3"), l -> l);
        assertTrue(log.matches("(?s).* cfg-2 INFO session \\d+ started: user work \\(uid " + (BASE_UID + 2)
                + "\\), from local, pipes, command: hostname; exit 3\n.*"), log);
        assertTrue(log.matches("(?s).* cfg-2 INFO session \\d+ ended: exit 3, after [\\d.]+ s; user work .*"), log);
    }

    @Test
    void stopAndRestartByName() {
        running("cfg-4", "cfg-5");
        JsonObject before = new JsonObject(jaild("status", "cfg-4", "--json").stdout());
        Cmd.Result restart = jaild("restart", "--config", config.toString(), "cfg-4");
        assertEquals(0, restart.exit(), restart::toString);
        JsonObject after = new JsonObject(jaild("status", "cfg-4", "--json").stdout());
        assertNotEquals(before.getInteger("pid"), after.getInteger("pid"), "a new init");
        assertEquals("running", after.getString("state"));

        Cmd.Result stop = jaild("stop", "cfg-5", "--json");
        assertEquals(0, stop.exit(), stop::toString);
        JsonArray report = new JsonArray(stop.stdout());
        assertEquals(new JsonObject().put("name", "cfg-5").put("uid", BASE_UID + 5).put("stopped", true), report.getJsonObject(0));
        assertFalse(jaild("list").stdout().contains("cfg-5"));
        assertEquals("jaild: no container named cfg-5\n", jaild("stop", "cfg-5").stderr());
    }

    @Test
    void stopAllStopsEveryContainer() {
        running("cfg-0", "manual");
        Cmd.Result r = jaild("stop", "--all");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stdout().contains("cfg-0: stopped"), r.stdout());
        assertEquals("NAME", jaild("list").stdout().split("\\s+")[0]);
        assertEquals(1, Cmd.lines(jaild("list").stdout()).size(), "only the header is left");
    }

    @Test
    void aNamedStartOfAGoodEntryIgnoresTheBrokenOnesAndAnUnknownNameNamesTheFile() {
        Cmd.Result r = jaild("start", "--config", config.toString(), "manual");
        try {
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().startsWith("manual: started (uid " + (BASE_UID + 11) + ", init pid "), r.stdout());
            assertEquals("started 1 of 1 containers", Cmd.lines(r.stdout()).get(1));
        } finally {
            jaild("stop", "manual");
        }
        Cmd.Result unknown = jaild("start", "--config", config.toString(), "nosuch");
        assertEquals(1, unknown.exit(), unknown::toString);
        assertEquals("jaild: no container named 'nosuch' in " + config + "\n", unknown.stderr());
    }

    @Test
    void configurationErrorsNameFileKeyAndReasonBeforeAnythingStarts() throws Exception {
        Path bad = DIR.resolve("bad.yaml");
        Files.writeString(bad, "jail:\n  containers:\n    x:\n      uid: 62190\n      root: " + DIR.resolve("root-0")
                + "\n      limits: { memory: 12X, pids: 0 }\n    y:\n      uid: 62190\n      root: /nonexistent/root\n");
        Cmd.Result r = jaild("start", "--config", bad.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.stdout(), "nothing started");
        assertEquals(List.of(
                "jaild: " + bad + ": jail.containers.x.limits.memory: '12X' is not a size: use a number with an optional K, M, G or T suffix",
                "jaild: " + bad + ": jail.containers.x.limits.pids: must be at least 1",
                "jaild: " + bad + ": jail.containers.y.uid: uid 62190 is already used by container 'x'"), Cmd.lines(r.stderr()));

        Files.writeString(bad, "jail:\n  containers:\n    x:\n      uid: 62190\n      root: /tmp\n      memroy: 1G\n");
        Cmd.Result unknown = jaild("start", "--config", bad.toString());
        assertEquals("jaild: " + bad + ": jail.containers.x.memroy: unknown key\n", unknown.stderr());

        Cmd.Result missing = jaild("start", "--config", DIR.resolve("nope.yaml").toString());
        assertEquals("jaild: " + DIR.resolve("nope.yaml") + ": no such file\n", missing.stderr());
    }
}

package jail.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A container user cannot forge audit lines or reach root's terminal through them: a command with a newline
 * and escape sequences leaves one line per event in the log, escaped; jaild status and list print control
 * characters escaped (the ROOTDIR here has an ESC in its name too); the file holding the configured
 * environment is root's alone.
 */
@RequiresRoot
class AuditEscapeTest {
    static final int UID = 67020;
    static final Path DIR = TestContainer.WORK.resolve("jwl-audit");
    /** A ROOTDIR whose name would colour root's terminal. */
    static final Path ROOT = DIR.resolve("root\u001b[31mred");
    static final Path LOG = Path.of("/var/log/jail/" + UID + ".log");
    static final String FORGED = "2026-12-07T00:00:00+0000 " + UID + " INFO session 1 started: forged";
    static final String NASTY = "true\n" + FORGED + "\u001b]0;x\u0007";
    static TestContainer user;

    @BeforeAll
    static void start() throws Exception {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(UID));
        TestContainer.freshDir(DIR);
        Files.deleteIfExists(LOG);
        user = TestContainer.busybox("jwlaudit", UID); // the host user; its container runs from ROOT
        Cmd.ok(Cmd.MKROOTFS, "busybox", ROOT.toString(), "--uid", String.valueOf(UID));
        Cmd.ok(Cmd.JAILD, "-u", String.valueOf(UID), "-r", ROOT.toString());
    }

    @AfterAll
    static void stop() {
        if (user != null) user.close();
        Cmd.run("rm", "-rf", DIR.toString());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static void assertNoControlBytes(String what, byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0x1b || b == 0x07) fail(what + " carries a raw control byte " + b + ":\n" + new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCommandCannotForgeALogLineOrReachRootsTerminal() throws Exception {
        user.su(NASTY); // the shell runs the second line too, and fails: only the log matters here
        Await.until(java.time.Duration.ofSeconds(10), () -> read(LOG).contains(" ended: exit "), () -> "no end logged:\n" + read(LOG));
        byte[] log = Files.readAllBytes(LOG);
        assertNoControlBytes("the log", log);
        List<String> lines = Files.readAllLines(LOG);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith(FORGED)), "a forged line:\n" + String.join("\n", lines));
        List<String> started = lines.stream().filter(l -> l.contains(" started: user work")).toList();
        List<String> ended = lines.stream().filter(l -> l.contains(" ended: exit ")).toList();
        assertEquals(1, started.size(), () -> String.join("\n", lines));
        assertEquals(1, ended.size(), () -> String.join("\n", lines));
        String escaped = "command: true\\n" + FORGED + "\\e]0;x\\a";
        assertTrue(started.get(0).endsWith(escaped), started.get(0));
        assertTrue(ended.get(0).contains(escaped), ended.get(0));
    }

    @Test
    void statusAndListPrintControlCharactersEscaped() throws Exception {
        Process session = Cmd.start(java.util.Map.of(), Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "sleep 60\n#\u001b]0;x\u0007");
        try {
            Await.until(java.time.Duration.ofSeconds(20), () -> Cmd.run(Cmd.JAILD, "status", String.valueOf(UID)).stdout().contains("sleep"),
                    () -> "the session is not listed");
            Cmd.Result status = Cmd.run(Cmd.JAILD, "status", String.valueOf(UID));
            assertNoControlBytes("jaild status", status.stdoutBytes());
            assertTrue(status.stdout().contains("sleep 60\\n#\\e]0;x\\a"), status::toString);
            assertTrue(status.stdout().contains("root\\e[31mred"), status::toString);
            Cmd.Result list = Cmd.run(Cmd.JAILD, "list");
            assertNoControlBytes("jaild list", list.stdoutBytes());
            assertTrue(list.stdout().contains("root\\e[31mred"), list::toString);

            Cmd.Result json = Cmd.run(Cmd.JAILD, "status", String.valueOf(UID), "--json");
            assertNoControlBytes("jaild status --json", json.stdoutBytes());
            JsonObject o = new JsonObject(json.stdout());
            assertEquals(ROOT.toString(), o.getString("root"), "JSON keeps the value itself, encoded");
            assertTrue(o.getJsonArray("sessionList").encode().contains("sleep 60"), o::encodePrettily);
            assertNoControlBytes("jaild list --json", Cmd.run(Cmd.JAILD, "list", "--json").stdoutBytes());
        } finally {
            session.destroyForcibly();
        }
    }

    @Test
    void theArgumentFileIsRootsAloneAndTheLogIsNotWorldReadable() throws Exception {
        assertEquals("600 0", Cmd.ok("stat", "-c", "%a %u", "/run/jail/" + UID + ".args").trim());
        assertEquals("640 0", Cmd.ok("stat", "-c", "%a %u", LOG.toString()).trim());
    }
}

package jail.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, login records: terminal sessions (su and ssh, at real terminals) are in the container's utmp,
 * wtmp and lastlog, so who, w, last and lastlog inside show them as they show sshd's; they leave utmp when
 * they end, also when the client is killed or the init restarts; sessions without a terminal are not in utmp;
 * a link the container's user plants where a record goes is never followed.
 */
@RequiresRoot
class LoginRecordsTest {
    static final int UID = 61700;
    static final String USER = "jsslogin";

    // Dropped terminal sessions are hung up at once here (detach-grace 0), as this class tests; kept ones: DetachedSessionsTest.
    @RegisterExtension
    static final SshRig RIG = new SshRig(USER, UID).withJaildFlags("--detach-grace", "0");

    /** {@code who} run by a session without a terminal (which is itself not listed). */
    static String who() {
        Cmd.Result r = RIG.box().su("who");
        assertEquals(0, r.exit(), r.toString());
        return r.stdout();
    }

    static void awaitWho(String what, java.util.function.Predicate<String> condition) {
        Await.until(Duration.ofSeconds(10), () -> condition.test(who()), () -> "who never showed " + what + ":\n" + who());
    }

    /** Each test starts from a running container without sessions, whatever ran before it. */
    @BeforeEach
    void runningWithoutSessions() {
        RIG.box().running();
        awaitWho("no session", String::isBlank);
    }

    @Test
    void aSuLoginIsInWhoAndLastAndLeavesUtmpWhenItEnds() {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER)) {
            t.expect("work@[^:]+:~\\$ ");
            t.line("tty");
            String tty = t.expect("/dev/(pts/\\d+)\r\n");
            // No "(host)" after the time: a local login, as on a console.
            t.retype("who", "work\\s+" + tty + "\\s+[^(\r\n]*\\d\\d:\\d\\d\\s*\r\n");
            t.line("w -h");
            t.expect("work\\s+" + tty + "\\s+-\\s+");
            // The session that asks has no terminal: it is not listed, as sshd does not list "ssh host cmd".
            assertEquals(1, Cmd.lines(who()).size(), who());

            t.line("exit");
            t.waitExit();
            awaitWho("no session", String::isBlank);
            // utmp and wtmp are two writes: wait for the second as well.
            String ended = "(?s).*work\\s+" + tty + "\\s+.*\\d\\d:\\d\\d - \\d\\d:\\d\\d\\s+\\(00:\\d\\d\\).*";
            Await.until(Duration.ofSeconds(10), () -> RIG.box().su("last -w work").stdout().matches(ended),
                    () -> "last never showed the su login with its end:\n" + RIG.box().su("last -w work").stdout());
        }
    }

    @Test
    void anSshLoginCarriesItsOriginHostIntoWhoLastAndLastlog() {
        try (TerminalSession t = TerminalSession.start(24, 80, RIG.sshd().ssh("-tt", PrivateSshd.at(USER)))) {
            t.expect("work@[^:]+:~\\$ ");
            t.retype("who", "work\\s+pts/\\d+\\s+.*\\(127\\.0\\.0\\.1\\)\r\n");
            // wtmp and lastlog are written after utmp, each its own write.
            t.retype("last -w -n 1 work", "work\\s+pts/\\d+\\s+127\\.0\\.0\\.1\\s+.*still logged in");
            t.retype("lastlog -u work", "work\\s+pts/\\d+\\s+127\\.0\\.0\\.1\\s+");
            t.line("exit");
            t.waitExit();
        }
        awaitWho("no session", String::isBlank);
    }

    @Test
    void aKilledSshClientsSessionLeavesUtmp() {
        try (TerminalSession t = TerminalSession.start(24, 80, RIG.sshd().ssh("-tt", PrivateSshd.at(USER)))) {
            t.expect("work@[^:]+:~\\$ ");
            awaitWho("the ssh login", w -> w.contains("(127.0.0.1)"));
        } // kills ssh with SIGKILL: sshd hangs up jail, which ends; the init hangs the session up
        awaitWho("no session", String::isBlank);
    }

    @Test
    void aKilledJailClientsSessionLeavesUtmp() throws IOException {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER)) {
            t.expect("work@[^:]+:~\\$ ");
            awaitWho("the su login", w -> w.contains("work"));
            int client = jailClientUnder(t.pid());
            Cmd.ok("kill", "-KILL", String.valueOf(client));
            awaitWho("no session", String::isBlank);
        }
    }

    @Test
    void aRestartedInitStartsFromAnEmptyUtmp() {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER)) {
            t.expect("work@[^:]+:~\\$ ");
            awaitWho("the su login", w -> w.contains("work"));
            // The init ends with its session still running: no logout is ever written for it.
            Cmd.ok(Cmd.JAILD, "stop", String.valueOf(UID));
            t.waitExit();
        }
        RIG.box().start();
        assertEquals("", who(), "a new init's utmp has no stale entries");
        String last = RIG.box().su("last -w -x").stdout();
        assertTrue(last.contains("reboot   system boot"), "each init start is a boot in wtmp:\n" + last);
    }

    @Test
    void aLinkPlantedWhereWtmpWasIsNeverFollowed() throws IOException {
        Path root = RIG.box().root;
        Path shadow = root.resolve("etc/shadow");
        byte[] before = Files.readAllBytes(shadow);
        Path wtmp = root.resolve("var/log/wtmp");
        Path saved = Files.createTempFile("jail-e2e-wtmp", "");
        Cmd.ok("cp", "-a", wtmp.toString(), saved.toString());
        // A root filesystem whose /var/log its user may write: the user swaps wtmp for a link to root's file.
        Cmd.ok("chown", String.valueOf(UID), root.resolve("var/log").toString());
        try {
            Cmd.Result plant = RIG.box().su("rm -f /var/log/wtmp && ln -s /etc/shadow /var/log/wtmp && echo planted");
            assertEquals("planted\n", plant.stdout(), plant.toString());
            try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER)) {
                t.expect("work@[^:]+:~\\$ ");
                awaitWho("the su login", w -> w.contains("work"));
                t.line("exit");
                t.waitExit();
            }
            awaitWho("no session", String::isBlank);
            assertArrayEquals(before, Files.readAllBytes(shadow), "the container's /etc/shadow is untouched");
            assertTrue(Files.isSymbolicLink(wtmp));
        } finally {
            // The real wtmp goes back (the init never creates one): the other tests read it.
            Cmd.ok("mv", "-f", saved.toString(), wtmp.toString());
            Cmd.ok("chown", "0", root.resolve("var/log").toString());
        }
    }

    /** The pid of the bin/jail client that su started for the terminal (su's child). */
    private static int jailClientUnder(int suPid) throws IOException {
        for (String child : Files.readString(Path.of("/proc/" + suPid + "/task/" + suPid + "/children")).trim().split(" ")) {
            if (!child.isEmpty() && Files.readString(Path.of("/proc/" + child + "/cmdline")).contains("jail")) {
                return Integer.parseInt(child);
            }
        }
        throw new AssertionError("no jail client under su " + suPid);
    }
}

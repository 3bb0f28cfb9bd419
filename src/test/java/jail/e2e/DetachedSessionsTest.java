package jail.e2e;

import jail.namespace.ExitStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, sessions that outlive their connection: a dropped ssh connection leaves its terminal session
 * running, detached, for {@code jail sessions} and {@code jail attach} from a second login, which replays its
 * output and gives it the new window size; Enter ~ d detaches on purpose; a session detached past its grace is
 * hung up with nothing left; output beyond the bound is dropped without blocking the program; nobody but the
 * session's own user sees, attaches or kills it; {@code jaild status} shows it detached.
 */
@RequiresRoot
class DetachedSessionsTest {
    static final int UID = 60200, GRACE_UID = 60201, OTHER_UID = 60202;
    static final String USER = "jdtssh", GRACE_USER = "jdtgrace", OTHER_USER = "jdtother";

    @RegisterExtension
    static final SshRig RIG = new SshRig(USER, UID);
    static TestContainer grace, other;

    @BeforeAll
    static void containers() {
        grace = TestContainer.busybox(GRACE_USER, GRACE_UID).start("--detach-grace", "3s");
        other = TestContainer.busybox(OTHER_USER, OTHER_UID).start();
    }

    @AfterAll
    static void cleanUp() {
        if (grace != null) grace.close();
        if (other != null) other.close();
    }

    /** A login that declines to reattach whatever an earlier test left detached. */
    static TerminalSession freshLogin(String... argv) {
        TerminalSession t = TerminalSession.start(24, 80, argv);
        if (t.expect("(\\$ |Reattach it\\? \\[Y/n\\] )").startsWith("Reattach")) {
            t.line("n");
            t.expect("\\$ ");
        }
        return t;
    }

    /** The id of the caller's detached session whose command line or tty matches, from {@code jail sessions}. */
    static int detachedId(String sessionsOutput, String tty) {
        Matcher m = Pattern.compile("(?m)^(\\d+)\\s+" + Pattern.quote(tty) + "\\s.*\\bdetached\\b").matcher(sessionsOutput);
        assertTrue(m.find(), "no detached session on " + tty + " in:\n" + sessionsOutput);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void aDroppedSshConnectionLeavesTheSessionForJailAttach() {
        String tty;
        int lastSeen;
        try (TerminalSession first = freshLogin(RIG.sshd().ssh("-tt", PrivateSshd.at(USER)))) {
            first.line("tty");
            tty = first.expect("(/dev/pts/\\d+)\r\n");
            // A "full-screen program": reports its size on every SIGWINCH, and ticks meanwhile.
            first.line("bash -c 'trap \"echo size=\\$(stty size)\" WINCH; i=0; while :; do i=$((i+1)); echo tick$i; sleep 0.2; done'");
            lastSeen = Integer.parseInt(first.expect("tick(\\d+)\r\n"));
        } // kills the ssh client: the connection drops

        Cmd.Result list = Cmd.run(RIG.sshd().ssh("-T", PrivateSshd.at(USER), "jail sessions"));
        assertEquals(0, list.exit(), list.toString());
        int id = detachedId(list.stdout(), tty);
        assertTrue(list.stdout().contains("(login shell)"), list.stdout());

        try (TerminalSession second = TerminalSession.start(30, 100, RIG.sshd().ssh("-tt", PrivateSshd.at(USER), "jail attach " + id))) {
            // The output made while nobody watched comes first, then the program repaints at the new size.
            int replayed = Integer.parseInt(second.expect("tick(\\d+)\r\n"));
            assertTrue(replayed > lastSeen, "replay starts after tick" + lastSeen + ": tick" + replayed);
            second.expect("size=30 100\r\n");
            second.expect("tick\\d+\r\n"); // and it still runs
            second.ctrl('c');
            second.expect("\\$ ");
            second.line("stty size; tty");
            second.expect("(?<!stty )30 100\r\n" + Pattern.quote(tty) + "\r\n");
            second.line("exit 3");
            assertEquals(ExitStatus.exited(3), second.waitExit(), second.screen());
        }
        Cmd.Result after = Cmd.run(RIG.sshd().ssh("-T", PrivateSshd.at(USER), "jail sessions"));
        assertFalse(after.stdout().matches("(?s).*^" + id + "\\s.*"), after.stdout());
    }

    @Test
    void enterTildeDDetachesAndALoginOffersToReattach() {
        Path beat = RIG.box().root.resolve("tmp/beat");
        try (TerminalSession t = freshLogin("su", "-", USER)) {
            t.line("rm -f /tmp/beat; while :; do echo x >> /tmp/beat; printf .; sleep 0.1; done");
            Await.until(Duration.ofSeconds(10), () -> Files.exists(beat), () -> "the loop never started");
            t.type("\r~d");
            t.expect("jail: detached from session (\\d+) \\(jail attach \\1 to return\\)");
            assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
        }
        long before = lines(beat);
        Await.until(Duration.ofSeconds(10), () -> lines(beat) > before + 5, () -> "the detached loop stopped");
        assertTrue(RIG.box().su("jail sessions").stdout().contains("detached"));

        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER)) {
            t.expect("you have a detached session \\d+ \\(\\(login shell\\), idle [^)]*\\)[^.]*\\. Reattach it\\? \\[Y/n\\] ");
            t.line("");
            t.expect("\\.\\.\\."); // the loop's output, replayed then live: we are attached
            t.ctrl('c');
            t.expect("\\$ ");
            t.line("echo reattached-$((6*7))");
            t.expect("reattached-42\r\n");
            t.line("exit 0");
            assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
        }
    }

    /**
     * A takeover while the attached client has stopped reading, so the init's writer to it holds a frame it
     * could not finish: the new client's stream starts with whole frames (WELCOME, the output, no protocol
     * error), and the old client, once it reads again, gets the rest of its frame and DETACHED, and leaves.
     */
    @Test
    void attachingTakesOverFromAClientThatStoppedReading() throws java.io.IOException {
        Path go = RIG.box().root.resolve("tmp/takeover-go");
        try (TerminalSession first = freshLogin("su", "-", USER)) {
            first.line("tty");
            String tty = first.expect("(/dev/pts/\\d+)\r\n");
            String client = Cmd.run("pgrep", "-P", String.valueOf(first.pid())).stdout().trim();
            first.line("rm -f /tmp/takeover-go; while [ ! -e /tmp/takeover-go ]; do sleep 0.1; done; yes takeover-flood");
            JobControl.waitForProcess(UID, "sleep 0.1");
            assertEquals(0, Cmd.run("kill", "-STOP", client).exit());
            try {
                Files.createFile(go);
                // The stopped client's socket fills up: the init's writer to it is left inside a frame.
                Await.until(Duration.ofSeconds(30), () -> unreadBytes(client) > 2 * 65_536,
                        () -> "the stopped client's socket never filled: " + Cmd.run("ss", "-x", "-p", "-H").stdout());
                Matcher m = Pattern.compile("(?m)^(\\d+)\\s+" + Pattern.quote(tty) + "\\s.*\\battached\\b")
                        .matcher(RIG.box().su("jail sessions").stdout());
                assertTrue(m.find(), "the first login's session is listed as attached");
                try (TerminalSession second = TerminalSession.start(24, 80, "su", "-", USER, "-c", "jail attach " + m.group(1))) {
                    second.expect("takeover-flood\r\n");
                    // At once: the old client's writer is given up 5 s after the takeover, like any ending.
                    // su stopped itself when its child did, and must go on too to reap it.
                    assertEquals(0, Cmd.run("kill", "-CONT", client, String.valueOf(first.pid())).exit());
                    first.expect("jail: detached from session " + m.group(1) + " \\(jail attach");
                    assertEquals(ExitStatus.exited(0), first.waitExit(), first.screen());
                    second.ctrl('c');
                    second.expect("\\$ ");
                    second.line("echo took-over-$((6*7))");
                    second.expect("took-over-42\r\n");
                    second.line("exit 0");
                    assertEquals(ExitStatus.exited(0), second.waitExit(), second.screen());
                    assertFalse(second.screen().contains("protocol error"), second.screen());
                }
            } finally {
                Cmd.run("kill", "-CONT", client, String.valueOf(first.pid()));
            }
        }
    }

    /** Bytes waiting unread in the sockets of process {@code pid} (ss's Recv-Q). */
    static long unreadBytes(String pid) {
        long sum = 0;
        for (String line : Cmd.run("ss", "-x", "-p", "-H").stdout().split("\n")) {
            if (!line.contains("pid=" + pid + ",")) continue;
            String[] f = line.trim().split("\\s+");
            sum += Long.parseLong(f[2]);
        }
        return sum;
    }

    static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void pastItsGraceASessionIsHungUpWithNothingLeft() {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", GRACE_USER)) {
            t.expect("\\$ ");
            t.line("sleep 4242");
            JobControl.waitForProcess(GRACE_UID, "sleep 4242");
        } // the client is killed: detached, for 3 s
        Cmd.Result status = Cmd.run(Cmd.JAILD, "status", String.valueOf(GRACE_UID));
        assertTrue(status.stdout().contains("(detached)"), status.toString());
        assertEquals(0, Cmd.run("pgrep", "-u", String.valueOf(GRACE_UID), "-x", "-f", "sleep 4242").exit(),
                "the detached session still runs");
        Await.until(Duration.ofSeconds(20), () -> grace.processes().size() == 1,
                () -> "processes left after the grace: " + grace.processes());
        assertFalse(grace.su("jail sessions").stdout().contains("detached"));
    }

    @Test
    void detachedOutputBeyondTheBoundIsDroppedWithoutBlocking() {
        int id;
        try (TerminalSession t = freshLogin("su", "-", USER)) {
            t.line("sleep 1; seq 1 2000000; echo seq-done; sleep 4343");
            t.type("\r~d"); // detached before seq starts: all its output goes to the ring
            id = Integer.parseInt(t.expect("detached from session (\\d+)"));
        }
        // 15 MB through the pty while detached: the program finishes writing (it never blocks on a full pty).
        Await.until(Duration.ofSeconds(90), () -> Cmd.run("pgrep", "-u", String.valueOf(UID), "-x", "-f", "sleep 4343").exit() == 0,
                () -> "seq never finished writing while detached");
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER, "-c", "jail attach " + id)) {
            t.expect("seq-done\r\n");
            String replay = t.screen();
            assertTrue(replay.contains("\r\n2000000\r\n"), "the tail is kept");
            assertFalse(replay.contains("\r\n1990000\r\n"), "the head is dropped");
            assertTrue(replay.length() < 80 * 1024, "the replay is bounded: " + replay.length() + " chars");
            t.ctrl('c');
            t.expect("\\$ ");
            t.line("exit 0");
            assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
        }
    }

    @Test
    void nobodyButItsUserListsAttachesOrKillsIt() {
        int id;
        try (TerminalSession t = freshLogin("su", "-", USER)) {
            t.line("sleep 4444");
            JobControl.waitForProcess(UID, "sleep 4444");
            t.type("\r~d");
            id = Integer.parseInt(t.expect("detached from session (\\d+)"));
        }
        // Another container's user asks its own container, which has no such session.
        Cmd.Result list = other.su("jail sessions");
        assertEquals("no sessions\n", list.stdout(), list.toString());
        Cmd.Result kill = other.su("jail kill " + id);
        assertEquals(1, kill.exit(), kill.toString());
        assertEquals("jail: no session " + id + " of yours in this container\n", kill.stderr());
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", OTHER_USER, "-c", "jail attach " + id)) {
            t.expect("jail: no session " + id + " of yours in this container");
            assertEquals(ExitStatus.exited(1), t.waitExit());
        }
        // A host user cannot reach this container at all (its socket's door is SocketAbuseTest's).
        Cmd.Result other = Cmd.run("setpriv", "--reuid=" + OTHER_UID, "--regid=" + OTHER_UID, "--clear-groups",
                Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "jail sessions");
        assertNotEquals(0, other.exit());
        assertTrue(other.stderr().contains("only root may enter another user's container"), other.toString());
        assertEquals(0, Cmd.run("pgrep", "-u", String.valueOf(UID), "-x", "-f", "sleep 4444").exit(), "still running");
        // Its own user and root may.
        assertTrue(RIG.box().su("jail sessions").stdout().matches("(?s).*\\b" + id + "\\s.*detached.*"));
        Cmd.Result own = RIG.box().jail("jail kill " + id); // root, through --uid
        assertEquals(0, own.exit(), own.toString());
        Await.until(Duration.ofSeconds(10), () -> Cmd.run("pgrep", "-u", String.valueOf(UID), "-x", "-f", "sleep 4444").exit() != 0,
                () -> "jail kill left the session running");
    }
}

package jail.e2e;

import jail.namespace.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 3, {@code ssh -t} at a real terminal: a person types into {@code ssh -tt user@127.0.0.1} through a
 * pty on the host. sshd gives bin/jail a pty of its own, and jail relays it to a pty in the container: the
 * prompt, window resizes, Ctrl-C, Ctrl-Z and fg, and {@code exit N} all cross both.
 */
@RequiresRoot
class SshInteractiveTest {
    static final int UID = 63021;
    static final String USER = "jt-ssh-tty";

    // Dropped terminal sessions are hung up at once here (detach-grace 0), as this class tests; kept ones: DetachedSessionsTest.
    @RegisterExtension
    static final SshRig RIG = new SshRig(USER, UID).withJaildFlags("--detach-grace", "0");

    static TerminalSession login() {
        return TerminalSession.start(24, 80, RIG.sshd().ssh("-tt", PrivateSshd.at(USER)));
    }

    @Test
    void anInteractiveSshSessionBehavesLikeATerminal() {
        try (TerminalSession t = login()) {
            t.expect("work@[^:]+:~\\$ ");
            t.line("echo \"[$0 $(tty) $SSH_TTY $TERM]\"");
            String tty = t.expect("\\[-bash (/dev/pts/\\d+) \\1 xterm\\]");
            assertTrue(tty.startsWith("/dev/pts/"), tty);

            t.line("stty size");
            t.expect("(?<!stty )24 80\r\n");
            t.resize(40, 120); // SIGWINCH to ssh, a window-change to sshd, SIGWINCH to jail, a resize to the init
            expectSizeEventually(t, "40 120");
            t.resize(30, 100);
            expectSizeEventually(t, "30 100");

            t.line("sleep 321");
            JobControl.waitForProcess(UID, "sleep 321");
            t.ctrl('c');
            t.expect("\\^C");
            waitForNoProcess("sleep 321");
            t.line("echo still-here");
            t.expect("(?<!echo )still-here\r\n");

            t.line("sleep 322");
            JobControl.waitForProcess(UID, "sleep 322");
            t.ctrl('z');
            t.expect("Stopped\\s+sleep 322");
            t.line("jobs");
            t.expect("\\[1\\]\\+\\s+Stopped\\s+sleep 322");
            // bash adds a SIGCONT for a stopped job; it notes the job's end asynchronously, so ask until it has
            // (otherwise `exit` would say "There are stopped jobs").
            t.line("kill %1; while jobs %1 >/dev/null 2>&1; do sleep 0.1; done; echo jobs-done");
            t.expect("(?<!echo )jobs-done\r\n");
            waitForNoProcess("sleep 322");

            t.line("exit 5");
            assertEquals(ExitStatus.exited(5), t.waitExit(), t.screen());
        }
    }

    @Test
    void fgResumesAStoppedJob() {
        try (TerminalSession t = login()) {
            JobControl.fgResumesAStoppedJob(t, UID);
        }
    }

    @Test
    void aFullScreenProgramSeesTheNewSize() {
        try (TerminalSession t = login()) {
            t.expect("\\$ ");
            // A "full-screen program" in the foreground process group: redraws its size on every SIGWINCH.
            t.line("bash -c 'trap \"echo size=\\$(stty size)\" WINCH; echo armed; while :; do sleep 0.1; done'");
            t.expect("(?<!echo )armed\r\n");
            t.resize(50, 132);
            t.expect("size=50 132");
            t.ctrl('c');
            t.line("exit 0");
            assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
        }
    }

    @Test
    void closingTheSshTerminalHangsUpTheSession() {
        try (TerminalSession t = login()) {
            t.expect("\\$ ");
            t.line("sleep 401 & echo started");
            t.expect("(?<!echo )started");
            JobControl.waitForProcess(UID, "sleep 401");
        } // SIGKILL to ssh: sshd sees the connection drop and closes its pty, jail gets SIGHUP and hangs up
        waitForNoProcess("sleep 401");
        waitForNoProcess("jail.cli.client.JailMain");
    }

    @Test
    void aResizeReachesTheSessionBeforeTheKeysTypedAfterIt() {
        // Through su (no ssh client in between, which orders its own window-change messages after pending input):
        // the terminal is resized, then keys are typed at once; the shell must already see the new size.
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", USER)) {
            t.expect("\\$ ");
            for (int i = 1; i <= 15; i++) {
                int rows = 24 + i;
                int cols = 80 + 2 * i;
                t.resize(rows, cols);
                t.line("stty size");
                t.expect("(?<!stty )" + rows + " " + cols + "\r\n", Duration.ofSeconds(10));
            }
            t.line("exit 0");
            assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
        }
    }

    /**
     * Through ssh, type {@code stty size} until the new size shows (bounded): the ssh client sends input it has
     * already read before the window-change message of a SIGWINCH that arrived meanwhile, so keys typed at once
     * after a resize may legitimately reach the far side first. (jail itself keeps the order: see
     * {@link #aResizeReachesTheSessionBeforeTheKeysTypedAfterIt}.)
     */
    static void expectSizeEventually(TerminalSession t, String size) {
        AssertionError last = null;
        for (int i = 0; i < 10; i++) {
            t.line("stty size");
            try {
                t.expect("(?<!stty )" + size + "\r\n", Duration.ofSeconds(2));
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    static void waitForNoProcess(String pattern) {
        Await.until(Duration.ofSeconds(15), () -> Cmd.run("pgrep", "-u", String.valueOf(UID), "-f", pattern).exit() != 0,
                () -> "still running after 15 s: " + Cmd.run("pgrep", "-a", "-u", String.valueOf(UID)).stdout());
    }
}

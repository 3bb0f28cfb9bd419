package jail.e2e;

import java.time.Duration;
import jail.namespace.ExitStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code su - USER} at a real terminal, driven through a pty like a person would: prompt, commands, window
 * resize, Ctrl-C, Ctrl-Z and fg, and the exit status.
 */
@RequiresRoot
class InteractiveSuTest {
    static final int UID = 62011;
    static TestContainer debian;

    @BeforeAll
    static void start() {
        // A closed terminal hangs its session up at once here (detach-grace 0); kept ones: DetachedSessionsTest.
        debian = TestContainer.debian("jt-tty", UID).start("--detach-grace", "0");
    }

    @AfterAll
    static void stop() {
        if (debian != null) debian.close();
    }

    @Test
    void aLoginSessionBehavesLikeATerminal() {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", "jt-tty")) {
            t.expect("work@[^:]+:~\\$ ");
            t.line("echo $((6*7)) $0 $(tty)");
            t.expect("42 -bash /dev/pts/\\d+");

            t.line("stty size");
            t.expect("(?<!stty )24 80\r\n");
            t.resize(40, 120);
            // SIGWINCH reaches the client asynchronously: ask until the new size has travelled through.
            t.retype("stty size", "(?<!stty )40 120\r\n");

            t.line("sleep 300");
            JobControl.waitForProcess(UID, "sleep 300");
            t.ctrl('c');
            t.expect("\\^C");
            t.line("echo still-here");
            t.expect("(?<!echo )still-here\r\n");

            t.line("sleep 301");
            JobControl.waitForProcess(UID, "sleep 301");
            t.ctrl('z');
            t.expect("Stopped\\s+sleep 301");
            t.line("jobs");
            t.expect("\\[1\\]\\+\\s+Stopped\\s+sleep 301");
            // bash notes the killed job's end asynchronously: ask until it has, or `exit` finds stopped jobs.
            t.line("kill %1; while jobs %1 >/dev/null 2>&1; do sleep 0.1; done; echo jobs-done");
            t.expect("(?<!echo )jobs-done\r\n");

            t.line("exit 3");
            ExitStatus exit = t.waitExit();
            assertEquals(ExitStatus.exited(3), exit, t.screen());
        }
    }

    @Test
    void fgResumesAStoppedJob() {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", "jt-tty")) {
            JobControl.fgResumesAStoppedJob(t, UID);
        }
    }

    @Test
    void closingTheTerminalHangsUpTheSession() throws Exception {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", "jt-tty")) {
            t.expect("\\$ ");
            t.line("sleep 400 & echo started");
            t.expect("started");
            JobControl.waitForProcess(UID, "sleep 400");
        } // kills su; the client goes with it, the init hangs the session up
        Await.until(Duration.ofSeconds(10), () -> Cmd.run("pgrep", "-u", String.valueOf(UID), "-f", "sleep 400").exit() != 0,
                () -> "the session's jobs got SIGHUP when its client vanished");
    }
}

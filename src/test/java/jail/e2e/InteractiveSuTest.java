package jail.e2e;

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
    static TestContainer debian;

    @BeforeAll
    static void start() {
        debian = TestContainer.debian("jt-tty", 62011).start();
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
            waitForProcess("sleep 300");
            t.ctrl('c');
            t.expect("\\^C");
            t.line("echo still-here");
            t.expect("(?<!echo )still-here\r\n");

            t.line("sleep 301");
            waitForProcess("sleep 301");
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
            t.expect("\\$ ");
            t.line("cat");
            waitForProcess("cat");
            t.ctrl('z');
            t.expect("Stopped\\s+cat");
            t.line("fg");
            t.expect("(?<!\\$ )cat\r\n");
            waitForProcess("cat");
            t.line("hello-through-cat");
            t.expect("hello-through-cat\r\nhello-through-cat");
            t.ctrl('d');
            t.line("exit");
            assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
        }
    }

    /** Waits until the container user runs a process with this command line (it got the terminal). */
    static void waitForProcess(String commandLine) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (Cmd.run("pgrep", "-u", "62011", "-x", "-f", commandLine).exit() != 0) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError(commandLine + " never started");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void closingTheTerminalHangsUpTheSession() throws Exception {
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", "jt-tty")) {
            t.expect("\\$ ");
            t.line("sleep 400 & echo started");
            t.expect("started");
            waitForProcess("sleep 400");
        } // kills su; the client goes with it, the init hangs the session up
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && Cmd.run("pgrep", "-u", "62011", "-f", "sleep 400").exit() == 0) {
            Thread.sleep(100);
        }
        assertNotEquals(0, Cmd.run("pgrep", "-u", "62011", "-f", "sleep 400").exit(),
                "the session's jobs got SIGHUP when its client vanished");
    }
}

package jail.e2e;

import jail.namespace.ExitStatus;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Job control at a terminal, the same whichever way in (su, ssh -t) gave the container user its terminal. */
final class JobControl {
    private JobControl() {}

    /**
     * At a shell prompt of {@code uid}: cat runs in the foreground, Ctrl-Z stops it, fg gives it the terminal
     * back (it echoes a line), Ctrl-D ends it, and {@code exit} ends the session with status 0.
     */
    static void fgResumesAStoppedJob(TerminalSession t, int uid) {
        t.expect("\\$ ");
        t.line("cat");
        waitForProcess(uid, "cat");
        t.ctrl('z');
        t.expect("Stopped\\s+cat");
        t.line("fg");
        t.expect("(?<!\\$ )cat\r\n");
        waitForProcess(uid, "cat");
        t.line("hello-through-cat");
        t.expect("hello-through-cat\r\nhello-through-cat");
        t.ctrl('d');
        t.line("exit");
        assertEquals(ExitStatus.exited(0), t.waitExit(), t.screen());
    }

    /** Waits until {@code uid} runs a process with exactly this command line (it got the terminal). */
    static void waitForProcess(int uid, String commandLine) {
        Await.until(Duration.ofSeconds(15), () -> Cmd.run("pgrep", "-u", String.valueOf(uid), "-x", "-f", commandLine).exit() == 0,
                () -> commandLine + " never started in the container");
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 3, how sessions end: when the ssh connection drops (the client is SIGKILLed) the session is hung up
 * and nothing of it stays in the container but what was detached on purpose; a reader that goes away ends a
 * writer as SIGPIPE would; and signals to a non-tty {@code jail -c} are forwarded (INT) or end the session
 * (TERM, HUP) with 128+N.
 */
@RequiresRoot
class SshSessionEndTest {
    static final int UID = 63031;
    static final String USER = "jt-ssh-end";

    // Dropped terminal sessions are hung up at once here (detach-grace 0), as this class tests; kept ones: DetachedSessionsTest.
    @RegisterExtension
    static final SshRig RIG = new SshRig(USER, UID).withJaildFlags("--detach-grace", "0");

    @AfterEach
    void killLeftovers() {
        // Each test uses its own sleep durations; whatever one leaves behind must not confuse the next.
        Cmd.run("pkill", "-KILL", "-u", String.valueOf(UID), "-x", "sleep");
        Cmd.run("pkill", "-KILL", "-u", String.valueOf(UID), "-x", "yes");
    }

    static String at() {
        return PrivateSshd.at(USER);
    }

    static boolean running(String commandLine) {
        return Cmd.run("pgrep", "-u", String.valueOf(UID), "-x", "-f", commandLine).exit() == 0;
    }

    static String processes() {
        return Cmd.run("pgrep", "-a", "-u", String.valueOf(UID)).stdout();
    }

    static void waitForProcess(String commandLine) {
        Await.until(Duration.ofSeconds(15), () -> running(commandLine), () -> commandLine + " never started:\n" + processes());
    }

    static void waitForNoProcess(String commandLine) {
        Await.until(Duration.ofSeconds(10), () -> !running(commandLine),
                () -> commandLine + " still runs 10 s after its client went away:\n" + processes());
    }

    static void waitForNoClient() {
        Await.until(Duration.ofSeconds(10),
                () -> Cmd.run("pgrep", "-u", String.valueOf(UID), "-f", "jail.cli.client.JailMain").exit() != 0,
                () -> "a jail client is left on the host:\n" + processes());
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }

    // ---- the connection drops ----

    @Test
    void killedSshClientWithAPtyLeavesNothingBehind() throws Exception {
        Process ssh = Cmd.start(Map.of(), RIG.sshd().ssh("-tt", at(), "sleep 612"));
        waitForProcess("sleep 612");
        kill(ssh);
        waitForNoProcess("sleep 612");
        waitForNoClient();
    }

    @Test
    void killedSshClientWithoutAPtyLeavesNothingBehind() throws Exception {
        // sshd sends no signal here: bin/jail's stdin sees EOF and its stdout and stderr lose their reader.
        Process ssh = Cmd.start(Map.of(), RIG.sshd().ssh(at(), "sleep 611"));
        waitForProcess("sleep 611");
        kill(ssh);
        waitForNoProcess("sleep 611");
        waitForNoClient();
    }

    @ParameterizedTest(name = "ssh {0}")
    @CsvSource({"-tt", "-T"})
    void detachedJobsSurviveTheHangUpAndTheRestDoesNot(String ttyFlag) throws Exception {
        int n = ttyFlag.equals("-tt") ? 620 : 630;
        String detached = "setsid sleep " + n + " </dev/null >/dev/null 2>&1 & "
                + "nohup sleep " + (n + 1) + " </dev/null >/dev/null 2>&1 & "
                + "sleep " + (n + 2);
        Process ssh = Cmd.start(Map.of(), RIG.sshd().ssh(ttyFlag, at(), detached));
        waitForProcess("sleep " + (n + 2));
        waitForProcess("sleep " + n);
        waitForProcess("sleep " + (n + 1));
        kill(ssh);
        waitForNoProcess("sleep " + (n + 2));
        waitForNoClient();
        assertTrue(running("sleep " + n), "setsid job still runs:\n" + processes());
        assertTrue(running("sleep " + (n + 1)), "nohup job still runs:\n" + processes());
    }

    // ---- the reader goes away ----

    @Test
    void aWriterWhoseReaderIsGoneEndsAsWithSigpipe() {
        // On a normal account: `su u -c yes | head -c 2` ends at once with su's status 128+SIGPIPE.
        Cmd.Result r = Cmd.run("bash", "-c", "su " + USER + " -c yes | head -c 4; echo \" ${PIPESTATUS[0]}\"");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("y\ny\n 141\n", r.stdout(), r::toString);
        waitForNoProcess("yes");
        waitForNoClient();
    }

    @Test
    void sshIntoAPipeThatCloses() {
        // bash -c 'SCRIPT' NAME ARGS...: "$@" is the ssh argv, unsplit.
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("bash", "-c", "\"$@\" | head -c 4", "bash"));
        argv.addAll(java.util.List.of(RIG.sshd().ssh(at(), "yes")));
        Cmd.Result r = Cmd.run(argv.toArray(String[]::new));
        assertEquals("y\ny\n", r.stdout(), r::toString);
        waitForNoProcess("yes");
        waitForNoClient();
    }

    // ---- signals to a non-tty jail client ----

    /** {@code jail -c CMD} as the container's host user, stdin not a tty, with default signal dispositions. */
    static Process jailClient(String command) {
        return Cmd.start(Map.of(), "setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", Cmd.JAIL, "-c", command);
    }

    @Test
    void sigintIsForwardedToTheRemoteCommand() throws Exception {
        Process client = jailClient("sleep 641");
        waitForProcess("sleep 641");
        Cmd.ok("kill", "-INT", String.valueOf(client.pid()));
        assertTrue(client.waitFor(15, TimeUnit.SECONDS), "the client ends with its command");
        assertEquals(128 + 2, client.exitValue(), "the remote sleep died of SIGINT");
        assertFalse(running("sleep 641"), processes());
    }

    @Test
    void sigintIsForwardedAndTheShellCanTrapIt() throws Exception {
        // The background sleep ignores SIGINT (non-interactive shell) and must not hold our output open.
        Process client = jailClient("trap 'echo trapped; exit 9' INT; sleep 642 </dev/null >/dev/null 2>&1 & wait");
        waitForProcess("sleep 642");
        Cmd.ok("kill", "-INT", String.valueOf(client.pid()));
        assertTrue(client.waitFor(15, TimeUnit.SECONDS));
        assertEquals(9, client.exitValue(), "the shell's trap ran and chose the status");
    }

    @ParameterizedTest(name = "SIG{0} to the client")
    @CsvSource({"TERM, 143, 651", "HUP, 129, 652"})
    void termAndHupEndTheSessionAndHangItUp(String signal, int status, int sleep) throws Exception {
        Process client = jailClient("sleep " + sleep);
        waitForProcess("sleep " + sleep);
        Cmd.ok("kill", "-" + signal, String.valueOf(client.pid()));
        assertTrue(client.waitFor(15, TimeUnit.SECONDS));
        assertEquals(status, client.exitValue());
        waitForNoProcess("sleep " + sleep);
    }

    /** SIGQUIT to a non-tty client is forwarded to the remote command, and no JVM thread dump reaches stdout. */
    @Test
    void sigquitIsForwardedAndNothingReachesStdout() throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempFile("jt-ssh-quit", ".out");
        try {
            Process client = Cmd.start(Cmd.Io.stdoutTo(out), java.util.Map.of(), "setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", Cmd.JAIL, "-c", "sleep 643");
            waitForProcess("sleep 643");
            Cmd.ok("kill", "-QUIT", String.valueOf(client.pid()));
            assertTrue(client.waitFor(15, TimeUnit.SECONDS), "the client ends with its command");
            assertEquals("", java.nio.file.Files.readString(out), "nothing of the client's own on stdout");
            assertEquals(128 + 3, client.exitValue(), "the remote sleep died of SIGQUIT");
            waitForNoProcess("sleep 643");
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}

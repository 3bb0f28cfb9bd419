package jail.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 3, the non-interactive ways in: a private sshd on 127.0.0.1 logs the host user in with its login
 * shell bin/jail, which runs the command in the container; and {@code su USER -c} / {@code su - USER -c} /
 * {@code su - USER} with stdin. Exit statuses, stdout and stderr apart, binary stdin to EOF, login shells
 * reading stdin, a pty only when asked for one, the environment an sshd gives and nothing else, and 50 logins
 * at once.
 */
@RequiresRoot
class SshWaysInTest {
    static final int UID = 63001;
    static final String USER = "jt-ssh-ways";
    static final String SECRET = "FOO_SECRET";

    // sshd runs with a secret in its environment and accepts FOO_* from clients (as a permissive AcceptEnv
    // would): both reach bin/jail's environment on the host, neither may enter the container.
    @RegisterExtension
    static final SshRig RIG = new SshRig(USER, UID, Map.of(SECRET, "sshd-secret"), "AcceptEnv FOO_*");

    static Cmd.Result ssh(String... args) {
        return ssh(null, Map.of(), args);
    }

    /** {@code ssh [args...]} where the last args are usually {@code user@host command}. */
    static Cmd.Result ssh(byte[] stdin, Map<String, String> env, String... args) {
        return Cmd.run(stdin, env, RIG.sshd().ssh(args));
    }

    static String at() {
        return PrivateSshd.at(USER);
    }

    // ---- the simplest way in ----

    @Test
    void sshCommandPrintsExactlyItsOutput() {
        Cmd.Result r = ssh(at(), "echo ok");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok\n", r.stdout());
        assertEquals("", r.stderr(), "nothing of jail's own on any stream");
    }

    @Test
    void sshSessionsAreAuditedWithTheirOrigin() throws Exception {
        Cmd.Result r = ssh(at(), "echo audited-over-ssh");
        assertEquals(0, r.exit(), r::toString);
        java.nio.file.Path log = java.nio.file.Path.of("/var/log/jail/" + UID + ".log");
        String pattern = "(?s).* INFO session \\d+ ended: exit 0, after [\\d.]+ s; user work \\(uid " + UID
                + "\\), from ssh 127\\.0\\.0\\.1 \\d+, pipes, command: echo audited-over-ssh\n.*";
        Await.until(java.time.Duration.ofSeconds(10), () -> readQuietly(log).matches(pattern),
                () -> "the ssh session's audit line in:\n" + readQuietly(log));
        assertTrue(java.nio.file.Files.readString(log).matches("(?s).* INFO session \\d+ started: user work \\(uid "
                + UID + "\\), from ssh 127\\.0\\.0\\.1 \\d+, pipes, command: echo audited-over-ssh\n.*"));
    }

    static String readQuietly(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void sshCommandRunsInTheContainerAsItsUserThroughItsShell() {
        Cmd.Result r = ssh(at(), "id; echo $0; pwd; ls *.txt; ps -o args= -p 1");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = List.of(r.stdout().split("\n"));
        assertEquals(List.of("uid=63001(work) gid=63001(work) groups=63001(work)",
                "bash", // sshd runs `jail -c CMD`; jail runs `$SHELL -c CMD` with the container account's shell
                "/home/work", "debian.txt"), lines.subList(0, 4), r.stdout());
        assertTrue(lines.get(4).startsWith("jaild: master [63001:63001]"), "PID 1 is the container's init: " + r.stdout());
        assertEquals(5, lines.size(), r.stdout());
        assertEquals("", r.stderr());
    }

    // ---- exit statuses, three ways ----

    enum Way {
        SSH, SU, SU_LOGIN;

        Cmd.Result run(String command, byte[] stdin) {
            return switch (this) {
                case SSH -> ssh(stdin, Map.of(), at(), command);
                case SU -> Cmd.run(stdin, Map.of(), "su", USER, "-c", command);
                case SU_LOGIN -> Cmd.run(stdin, Map.of(), "su", "-", USER, "-c", command);
            };
        }
    }

    static Stream<Arguments> exitStatuses() {
        List<Arguments> cases = new ArrayList<>();
        for (Way way : Way.values()) {
            cases.add(Arguments.of(way, "true", 0));
            cases.add(Arguments.of(way, "exit 7", 7));
            cases.add(Arguments.of(way, "kill -9 $$", 128 + 9));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("exitStatuses")
    void theExitStatusIsTheCommands(Way way, String command, int expected) {
        Cmd.Result r = way.run(command, null);
        assertEquals(expected, r.exit(), r::toString);
        assertEquals("", r.stderr(), r::toString);
        assertEquals("", r.stdout());
    }

    @ParameterizedTest
    @MethodSource("ways")
    void stdoutAndStderrStayApart(Way way) {
        Cmd.Result r = way.run("echo out; echo err >&2; for i in 1 2 3; do echo o$i; echo e$i >&2; done; exit 3", null);
        assertEquals(3, r.exit(), r::toString);
        assertEquals("out\no1\no2\no3\n", r.stdout());
        assertEquals("err\ne1\ne2\ne3\n", r.stderr());
    }

    static Stream<Way> ways() {
        return Stream.of(Way.values());
    }

    // ---- stdin: binary, to EOF ----

    static final byte[] DATA = randomBytes(3 * 1024 * 1024 + 12345, 3);

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("ways")
    void binaryStdinIsDeliveredByteForByte(Way way) {
        Cmd.Result sum = way.run("sha256sum", DATA);
        assertEquals(0, sum.exit(), sum::toString);
        assertEquals(sha256(DATA) + "  -\n", sum.stdout());
        assertEquals("", sum.stderr());

        Cmd.Result echo = way.run("cat", DATA);
        assertEquals(0, echo.exit(), echo::toString);
        assertEquals(DATA.length, echo.stdoutBytes().length);
        assertEquals(sha256(DATA), sha256(echo.stdoutBytes()), "cat gives back the same bytes");
        assertEquals("", echo.stderr());
    }

    @Test
    void sshCatIntoAFileLandsInTheContainerAndReadsBack() throws Exception {
        Cmd.Result put = ssh(DATA, Map.of(), at(), "cat > piped.bin");
        assertEquals(0, put.exit(), put::toString);
        assertEquals("", put.stdout() + put.stderr());

        Path onHost = RIG.box().root.resolve("home/work/piped.bin");
        assertArrayEquals(DATA, Files.readAllBytes(onHost), "the file under the rootfs holds the same bytes");
        assertEquals(UID, (int) Files.getAttribute(onHost, "unix:uid"));
        assertEquals(UID, (int) Files.getAttribute(onHost, "unix:gid"));

        Cmd.Result get = ssh(at(), "cat piped.bin");
        assertEquals(0, get.exit(), get::toString);
        assertEquals(sha256(DATA), sha256(get.stdoutBytes()));
    }

    @ParameterizedTest
    @MethodSource("ways")
    void stdinIsReadToEofAndTheRemoteSeesEof(Way way) {
        byte[] input = randomBytes(1_234_567, 4);
        Cmd.Result r = way.run("wc -c; echo after-eof", input);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("1234567\nafter-eof\n", r.stdout());

        Cmd.Result empty = way.run("cat; echo got-eof", new byte[0]);
        assertEquals("got-eof\n", empty.stdout(), "an empty stdin is an immediate EOF");
        Cmd.Result devNull = way.run("cat; echo got-eof", null);
        assertEquals("got-eof\n", devNull.stdout());
    }

    @Test
    void aCommandThatDoesNotReadStdinStillEnds() {
        Cmd.Result r = ssh(DATA, Map.of(), at(), "echo ignored-stdin");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ignored-stdin\n", r.stdout());
        assertEquals("", r.stderr());
    }

    // ---- login shells reading stdin ----

    static final String LOGIN_SCRIPT = """
            echo $0
            shopt -q login_shell && echo login
            case $- in *i*) echo interactive;; *) echo non-interactive;; esac
            test -t 0 || echo stdin-not-a-tty
            id -u
            pwd
            exit 4
            """;

    @Test
    void sshWithoutACommandRunsANonInteractiveLoginShellReadingStdin() {
        Cmd.Result r = ssh(LOGIN_SCRIPT.getBytes(StandardCharsets.UTF_8), Map.of(), "-T", at());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("-bash\nlogin\nnon-interactive\nstdin-not-a-tty\n63001\n/home/work\n", r.stdout());
        assertEquals("", r.stderr(), "a quiet login: no motd, no last-login, nothing from jail");
    }

    @Test
    void suLoginWithStdinRunsANonInteractiveLoginShell() {
        Cmd.Result r = Cmd.run("id\n".getBytes(StandardCharsets.UTF_8), Map.of(), "su", "-", USER);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("uid=63001(work) gid=63001(work) groups=63001(work)\n", r.stdout());
        assertEquals("", r.stderr());

        Cmd.Result script = Cmd.run(LOGIN_SCRIPT.getBytes(StandardCharsets.UTF_8), Map.of(), "su", "-", USER);
        assertEquals(4, script.exit(), script::toString);
        assertEquals("-bash\nlogin\nnon-interactive\nstdin-not-a-tty\n63001\n/home/work\n", script.stdout());
    }

    // ---- a pty only when asked for ----

    static final Pattern PTS = Pattern.compile("/dev/pts/(\\d+)");

    @Test
    void sshDashTGivesTheCommandAPtyInTheContainer() {
        Cmd.Result r = ssh(null, Map.of("TERM", "xterm-256color"), "-tt", at(),
                "tty; test -t 0 && echo stdin-tty; test -t 1 && echo stdout-tty; echo \"$SSH_TTY|$TERM\"; ls /dev/pts");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = List.of(r.stdout().split("\r\n"));
        Matcher tty = PTS.matcher(lines.get(0));
        assertTrue(tty.matches(), r.stdout());
        assertEquals("stdin-tty", lines.get(1));
        assertEquals("stdout-tty", lines.get(2));
        assertEquals(lines.get(0) + "|xterm-256color", lines.get(3), "SSH_TTY names the container's pty, TERM came along");
        assertTrue(List.of(lines.get(4).split("\\s+")).contains(tty.group(1)),
                "the pty is one of the container's own devpts: " + r.stdout());
    }

    @Test
    void exitStatusThroughAPty() {
        assertEquals(7, ssh("-tt", at(), "exit 7").exit());
        assertEquals(128 + 9, ssh("-tt", at(), "kill -9 $$").exit());
    }

    @Test
    void sshWithoutDashTHasNoPty() {
        Cmd.Result r = ssh(null, Map.of("TERM", "xterm-256color"), at(),
                "tty; test -t 0 || echo stdin-not-a-tty; test -t 1 || echo stdout-not-a-tty; printenv SSH_TTY TERM || echo unset");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("not a tty\nstdin-not-a-tty\nstdout-not-a-tty\nunset\n", r.stdout(), "neither SSH_TTY nor TERM");
        assertEquals("", r.stderr());
    }

    // ---- environment ----

    @Test
    void sshConnectionAndClientAreThoseOfThisConnection() {
        Cmd.Result r = ssh(at(), "echo \"$SSH_CONNECTION|$SSH_CLIENT\"");
        assertEquals(0, r.exit(), r::toString);
        Matcher m = Pattern.compile("127\\.0\\.0\\.1 (\\d+) 127\\.0\\.0\\.1 " + RIG.sshd().port + "\\|127\\.0\\.0\\.1 (\\d+) "
                + RIG.sshd().port + "\n").matcher(r.stdout());
        assertTrue(m.matches(), r.stdout());
        assertEquals(m.group(1), m.group(2), "the same client port in both");
    }

    static final Map<String, String> CLIENT_ENV = Map.of(
            SECRET, "client-secret", "LANG", "C.UTF-8", "LC_TIME", "C.UTF-8", "TERM", "xterm-256color");
    static final String[] SEND_ENV = {"-o", "SendEnv=LANG LC_TIME " + SECRET};

    static TreeSet<String> names(String envOutput) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : envOutput.split("\r?\n")) {
            if (!line.isEmpty()) names.add(line.substring(0, line.indexOf('=')));
        }
        return names;
    }

    @Test
    void onlyTheEnvironmentAnSshdGivesGetsIn() {
        List<String> args = new ArrayList<>(List.of(SEND_ENV));
        args.addAll(List.of(at(), "env"));
        Cmd.Result r = ssh(null, CLIENT_ENV, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.stdout().contains("secret"), r.stdout());
        assertEquals(new TreeSet<>(List.of("HOME", "LANG", "LC_TIME", "LOGNAME", "PATH", "PWD", "SHELL", "SHLVL",
                "SSH_CLIENT", "SSH_CONNECTION", "USER", "_")), names(r.stdout()), r.stdout());
        List<String> lines = List.of(r.stdout().split("\n"));
        for (String expected : List.of("LANG=C.UTF-8", "LC_TIME=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin",
                // the container's account, not the host's (whose home is the rootfs path and name jt-ssh-ways)
                "HOME=/home/work", "USER=work", "LOGNAME=work", "SHELL=/bin/bash")) {
            assertTrue(lines.contains(expected), expected + " in:\n" + r.stdout());
        }
    }

    @Test
    void withAPtyTermAndSshTtyAreAddedAndNothingElse() {
        List<String> args = new ArrayList<>(List.of(SEND_ENV));
        args.addAll(List.of("-tt", at(), "env"));
        Cmd.Result r = ssh(null, CLIENT_ENV, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.stdout().contains("secret"), r.stdout());
        assertEquals(new TreeSet<>(List.of("HOME", "LANG", "LC_TIME", "LOGNAME", "PATH", "PWD", "SHELL", "SHLVL",
                "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY", "TERM", "USER", "_")), names(r.stdout()), r.stdout());
        List<String> lines = List.of(r.stdout().split("\r\n"));
        assertTrue(lines.contains("TERM=xterm-256color"), r.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.matches("SSH_TTY=/dev/pts/\\d+")), r.stdout());
    }

    @Test
    void suPassesNoHostEnvironment() {
        Cmd.Result r = Cmd.run(null, Map.of(SECRET, "su-secret", "LANG", "C.UTF-8"), "su", USER, "-c", "env");
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.stdout().contains("secret"), r.stdout());
        assertFalse(names(r.stdout()).contains("SSH_CONNECTION"), r.stdout());
        assertTrue(List.of(r.stdout().split("\n")).contains("LANG=C.UTF-8"), "the locale crosses: " + r.stdout());
    }

    // ---- many at once ----

    @Test
    void fiftyConcurrentSshSessionsAllSucceed() throws Exception {
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        long t0 = System.nanoTime();
        try {
            List<Future<Cmd.Result>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) results.add(pool.submit(() -> ssh(at(), "echo ok")));
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Cmd.Result r = results.get(i).get(180, TimeUnit.SECONDS); // Cmd.run has its own deadline too
                if (r.exit() != 0 || !r.stdout().equals("ok\n") || !r.stderr().isEmpty()) failures.add("#" + i + ": " + r);
            }
            assertEquals(List.of(), failures, "every session succeeds; sshd log:\n" + RIG.sshd().log());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        System.out.printf("%d concurrent ssh 'echo ok' sessions: %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
        // All of them ended: no client left on the host, no session left in the init.
        assertNotEquals(0, Cmd.run("pgrep", "-u", String.valueOf(UID), "-f", "jail.cli.client.JailMain").exit());
    }
}

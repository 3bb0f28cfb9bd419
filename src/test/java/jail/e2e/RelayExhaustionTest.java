package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One container cannot exhaust what the init or the host share: sessions whose clients stop reading (or keep
 * writing to a session that does not read) are held within their allowance, the relay thread survives and
 * serves a new login at once, and killing the stalled clients ends their sessions with their programs; the
 * container's devpts instance has a maximum, and running out of ptys is one clean error.
 */
@RequiresRoot
class RelayExhaustionTest {
    /** jaild's defaults (256 sessions, 512 ptys). */
    static TestContainer stalled;
    /** --max-ptys 8. */
    static TestContainer ptys;

    @BeforeAll
    static void start() {
        stalled = TestContainer.busybox("jrlstall", 66010).start();
        ptys = TestContainer.busybox("jrlptys", 66011).start("--max-ptys", "8");
    }

    @AfterAll
    static void stop() {
        if (stalled != null) stalled.close();
        if (ptys != null) ptys.close();
    }

    /**
     * Opens N pipes sessions of COMMAND as the peer running it and never reads what they send. With "push", it
     * also writes STDIN frames to every session as fast as the init takes them. Prints "stalled" once no
     * session's socket has taken a byte for a second (the init holds back: nothing is read from it), then
     * holds everything until killed.
     */
    static final String STALL = """
            import socket, sys, struct, time, select
            path, n, cmd, push = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4] == 'push'
            def string(b): return struct.pack('>i', len(b)) + b
            def frame(t, p): return bytes([t]) + struct.pack('>I', len(p)) + p
            hello = frame(1, b'JAIL' + struct.pack('>HBBHH', 1, 1, 0, 24, 80) + b'\\x01' + string(cmd) + string(b'') + struct.pack('>H', 0))
            socks = []
            for i in range(n):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); s.sendall(hello); s.setblocking(False)
                socks.append(s)
            data = frame(3, b'x' * 65536); off = {}; quiet = None
            while True:
                if not push:
                    print('stalled', flush=True); time.sleep(3600)
                _, w, _ = select.select([], socks, [], 1)
                took = 0
                for s in w:
                    o = off.get(s, 0)
                    try:
                        k = s.send(data[o:] + data[:o]); took += k; off[s] = (o + k) % len(data)
                    except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                        pass
                if took == 0:
                    if quiet is None: quiet = time.monotonic()
                    if time.monotonic() - quiet >= 1:
                        print('stalled', flush=True); push = False
                else:
                    quiet = None
            """;

    static Process stall(TestContainer c, int sessions, String command, String mode) {
        // setpriv execs (runuser would stay in between): killing this process closes the connections.
        return Cmd.start(Cmd.Io.CONVERSATION, Map.of(), "setpriv", "--reuid=" + c.uid, "--regid=" + c.uid, "--clear-groups",
                SocketAbuseTest.PYTHON, "-c", STALL, "/run/jail/" + c.uid + ".sock", String.valueOf(sessions), command, mode);
    }

    static void awaitLine(Process p, String expected, Duration timeout) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertEquals(expected, line.get(timeout.toSeconds(), TimeUnit.SECONDS));
    }

    /** The container's processes (host pid to state) whose command name is {@code comm}. */
    static Map<Integer, Character> named(TestContainer c, String comm) {
        Map<Integer, Character> found = new java.util.TreeMap<>();
        c.processes().forEach((pid, state) -> {
            try {
                if (Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals(comm)) found.put(pid, state);
            } catch (IOException e) {
                // ended meanwhile
            }
        });
        return found;
    }

    /** su - USER -c true, which must succeed within a second. */
    static void loginAnswersWithinASecond(TestContainer c) {
        long t0 = System.nanoTime();
        Cmd.Result r = Cmd.run("timeout", "20", "su", "-", c.hostUser, "-c", "true");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.exit(), "the login works: " + r);
        assertTrue(ms < 1000, "the login answers within a second, not " + ms + " ms");
    }

    @Test
    void stalledSessionsNeitherStopTheRelayNorOutliveTheirClients() throws Exception {
        int initPid = stalled.initPid();
        long log = SocketAbuseTest.logSize(stalled);
        // Output nobody reads: 64 sessions of yes. Input nobody takes: 64 sessions of sleep fed without end.
        Process readers = stall(stalled, 64, "yes", "hold");
        Process writers = stall(stalled, 64, "sleep 1000", "push");
        try {
            awaitLine(readers, "stalled", Duration.ofSeconds(60));
            awaitLine(writers, "stalled", Duration.ofSeconds(120));
            Await.until(Duration.ofSeconds(60), () -> named(stalled, "yes").size() == 64
                            && named(stalled, "yes").values().stream().allMatch(s -> s == 'S'),
                    () -> "64 yes, all blocked because the init stopped reading them: " + named(stalled, "yes"));

            for (int i = 0; i < 3; i++) loginAnswersWithinASecond(stalled);
            assertEquals("served\n", stalled.jail("echo served").stdout(), "root's session is served too");
        } finally {
            readers.destroyForcibly();
            writers.destroyForcibly();
            readers.waitFor(10, TimeUnit.SECONDS);
            writers.waitFor(10, TimeUnit.SECONDS);
        }
        Await.until(Duration.ofSeconds(60), () -> stalled.processes().size() == 1,
                () -> "every session ended with its programs (yes: " + named(stalled, "yes").size() + ", sleep: "
                        + named(stalled, "sleep").size() + ")");
        assertEquals(initPid, stalled.initPid(), "the same init");
        assertTrue(SocketAbuseTest.threadNames(stalled).contains("relay"), "the relay thread lives");
        String tail = SocketAbuseTest.logSince(stalled, log);
        assertFalse(tail.contains("Error") || tail.contains("Exception in thread"), "nothing failed in the init:\n"
                + tail.lines().filter(l -> !l.contains(" INFO session ")).limit(40).toList());
        loginAnswersWithinASecond(stalled);
    }

    @Test
    void theDevptsInstanceHasAMaximum() {
        assertTrue(stalled.jail("grep devpts /proc/mounts").stdout().contains(",max=512"),
                "twice max-sessions by default: " + stalled.jail("grep devpts /proc/mounts"));
        assertTrue(ptys.jail("grep devpts /proc/mounts").stdout().contains(",max=8"), "as configured");
    }

    @Test
    void runningOutOfPtysIsOneCleanErrorAndLoginsGoOn() throws Exception {
        // Each open of /dev/ptmx makes a pty; a background sleep holds it. 12 tries, 8 allowed.
        Cmd.Result hog = ptys.su("for i in 1 2 3 4 5 6 7 8 9 10 11 12; do "
                + "{ sleep 300 </dev/null >/dev/null 2>&1 & } 3<>/dev/ptmx && echo opened || echo refused; done");
        try {
            assertEquals(8, Cmd.lines(hog.stdout()).stream().filter("opened"::equals).count(), hog::toString);
            assertEquals(4, Cmd.lines(hog.stdout()).stream().filter("refused"::equals).count(), hog::toString);
            assertTrue(hog.stderr().contains("No space left on device"), "the kernel's refusal: " + hog);

            loginAnswersWithinASecond(ptys); // pipes: no pty needed
            try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", ptys.hostUser)) {
                t.expect("jail: cannot start session: [^\\r\\n]*No space left on device[^\\r\\n]*\\r\\n");
                assertEquals(1, t.waitExit().value(), "a terminal login cannot get a pty: one line, exit 1");
            }
        } finally {
            Cmd.run("pkill", "-u", String.valueOf(ptys.uid), "-x", "sleep");
        }
        Await.until(Duration.ofSeconds(20), () -> ptys.processes().size() == 1, () -> "the hogs are gone: " + ptys.processes());
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", ptys.hostUser)) {
            t.expect("\\$ ");
            t.line("tty; exit");
            t.expect("/dev/pts/\\d+");
            assertEquals(0, t.waitExit().value());
        }
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The socket is a locked door and bad input changes nothing: a silent or dripping client loses its slot at
 * the HELLO deadline, the session limit refuses with a clear error and frees up again, a flood of connections
 * and thousands of fuzzed frames leave the init serving with its threads, fds and process table as before;
 * a killed shell or a killed client ends its session cleanly, with no process, fd or thread left behind.
 *
 * <p>The raw clients are python3 scripts run through runuser as the container's host user (the peer the
 * init checks with SO_PEERCRED), like {@link AccessTest}'s.
 */
@RequiresRoot
class SocketAbuseTest {
    static final String PYTHON = "/usr/bin/python3";
    /** A host user who is not the container's: every connection it opens is refused. */
    static final String FOREIGN = "jt-sec-foreign";
    /** --hello-timeout 1 --max-sessions 2. */
    static TestContainer limits;
    /** jaild's defaults; fuzzed, flooded, its sessions and clients killed. */
    static TestContainer target;

    @BeforeAll
    static void start() {
        limits = TestContainer.busybox("jt-sec-limits", 64020).start("--hello-timeout", "1", "--max-sessions", "2");
        // A killed client's session ends at once here, as this class checks (a kept one is DetachedSessionsTest's).
        target = TestContainer.busybox("jt-sec-fuzz", 64021).withJaildFlags("--detach-grace", "0").start();
        Cmd.run("userdel", FOREIGN);
        Cmd.ok("useradd", "-M", "-N", "-d", "/tmp", "-u", "64096", "-s", "/bin/false", "-K", "UID_MAX=70000", FOREIGN);
    }

    @AfterAll
    static void stop() {
        Cmd.run("pkill", "-KILL", "-u", "64096");
        Cmd.run("userdel", FOREIGN);
        if (limits != null) limits.close();
        if (target != null) target.close();
    }

    static Cmd.Result python(TestContainer c, String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", c.hostUser, "--", PYTHON, "-c", script,
                "/run/jail/" + c.uid + ".sock"));
        argv.addAll(List.of(args));
        return Cmd.run(argv.toArray(String[]::new));
    }

    /** The bytes of an ERROR frame with this code and message. */
    static String errorFrameHex(int code, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return String.format("0a%08x%02x", m.length + 1, code) + HexFormat.of().formatHex(m);
    }

    /** A valid HELLO frame: pipes mode, command "id", no TERM, no environment. */
    static String helloHex() {
        return AccessTest.hello();
    }

    /** Sends the given hex bytes, prints what comes back as hex. */
    static final String RAW_CLIENT = AccessTest.RAW_CLIENT;

    static long logSize(TestContainer c) throws IOException {
        return Files.size(log(c));
    }

    static String logSince(TestContainer c, long offset) {
        try {
            byte[] all = Files.readAllBytes(log(c));
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path log(TestContainer c) {
        return Path.of("/var/log/jail/" + c.uid + ".log");
    }

    static Map<String, String> kv(String text) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : Cmd.lines(text)) {
            int sp = line.indexOf(' ');
            m.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1));
        }
        return m;
    }

    // ---- the HELLO deadline ----

    static final String SILENT = """
            import socket, sys, binascii, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            t0 = time.monotonic()
            s.settimeout(15)
            data = b''
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            print('reply', binascii.hexlify(data).decode())
            print('eof', round((time.monotonic() - t0) * 1000))
            """;

    @Test
    void aSilentClientGetsAnErrorAtTheDeadlineAndIsDisconnected() throws IOException {
        long log = logSize(limits);
        Map<String, String> r = kv(python(limits, SILENT).stdout());
        assertEquals(errorFrameHex(1, "no HELLO within 1000 ms"), r.get("reply"), r::toString);
        long eof = Long.parseLong(r.get("eof"));
        assertTrue(eof >= 950 && eof < 4000, "cut off at the 1 s deadline, not later: " + eof + " ms");
        Await.until(Duration.ofSeconds(5), () -> logSince(limits, log).contains("refused: no HELLO within 1000 ms"),
                () -> "the refusal is logged: " + logSince(limits, log));
    }

    /** Sends a valid HELLO one byte at a time, then keeps dripping after the init said goodbye. */
    static final String DRIP = """
            import socket, sys, binascii, time, select
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            hello = binascii.unhexlify(sys.argv[2]); interval = int(sys.argv[3]) / 1000.0
            t0 = time.monotonic(); ms = lambda: round((time.monotonic() - t0) * 1000)
            data = b''; sent = 0; eof = None; sent_at_eof = None; closed = None; why = ''
            while ms() < 20000:
                try:
                    s.send(hello[sent % len(hello):sent % len(hello) + 1]); sent += 1
                except OSError as e:
                    closed = ms(); why = type(e).__name__; break
                end = time.monotonic() + interval
                while eof is None and time.monotonic() < end:
                    r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
                    if not r: break
                    chunk = s.recv(65536)
                    if chunk: data += chunk
                    else: eof = ms(); sent_at_eof = sent
                if eof is not None: time.sleep(max(0, end - time.monotonic()))
            print('reply', binascii.hexlify(data).decode())
            print('eof', eof)
            print('sent', sent_at_eof)
            print('closed', closed, why)
            """;

    @Test
    void aDrippingClientIsCutOffAtTheDeadlineToo() {
        Map<String, String> r = kv(python(limits, DRIP, helloHex(), "300").stdout());
        assertEquals(errorFrameHex(1, "no HELLO within 1000 ms"), r.get("reply"), r::toString);
        long eof = Long.parseLong(r.get("eof"));
        assertTrue(eof >= 950 && eof < 4000, "the deadline counts from the connection, not from the last byte: " + r);
        assertTrue(Integer.parseInt(r.get("sent")) < helloHex().length() / 2, "the HELLO never completed: " + r);
        // What it sends afterwards is read and discarded; the init closes at the end of its 5 s grace period.
        String[] closed = r.get("closed").split(" ");
        assertNotEquals("None", closed[0], "the init ends the connection: " + r);
        long closedAt = Long.parseLong(closed[0]);
        assertTrue(closedAt >= eof && closedAt < eof + 5000 + 3000, "closed after the grace period: " + r);
    }

    // ---- the session limit ----

    @Test
    void theSessionLimitRefusesWithAClearErrorAndFreesUp() throws Exception {
        List<Process> sleepers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                sleepers.add(Cmd.start(Map.of(), Cmd.JAIL, "--uid", "64020", "-c", "sleep 30"));
            }
            Await.until(Duration.ofSeconds(20), () -> sleeps().size() == 2, () -> "two sessions never ran: " + sleeps());

            Cmd.Result third = limits.su("echo third");
            assertEquals(1, third.exit(), third::toString);
            assertEquals("jail: too many sessions in this container (limit 2)\n", third.stderr());
            assertEquals("", third.stdout());
            Cmd.Result raw = python(limits, RAW_CLIENT, helloHex());
            assertEquals(errorFrameHex(4, "too many sessions in this container (limit 2)"), raw.stdout().trim(),
                    "the ERROR frame is LIMIT (4)");

            Cmd.ok("kill", String.valueOf(sleeps().get(0)));
            Await.until(Duration.ofSeconds(20), () -> sleepers.stream().anyMatch(p -> !p.isAlive()), () -> "no session ended");
            Process ended = sleepers.stream().filter(p -> !p.isAlive()).findFirst().orElseThrow();
            assertEquals(128 + 15, ended.exitValue(), "its client reports the SIGTERM");
            String[] out = new String[1];
            Await.until(Duration.ofSeconds(20), () -> {
                Cmd.Result again = limits.su("echo again");
                out[0] = again.toString();
                return again.exit() == 0 && again.stdout().equals("again\n");
            }, () -> "the freed slot is never usable again: " + out[0]);
        } finally {
            for (int pid : sleeps()) Cmd.run("kill", String.valueOf(pid));
            for (Process p : sleepers) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    static List<Integer> sleeps() {
        return Cmd.lines(Cmd.run("pgrep", "-u", "64020", "-x", "-f", "sleep 30").stdout()).stream().map(Integer::parseInt).toList();
    }

    // ---- floods and fuzzing ----

    /** Baseline of the init after a warm-up session: the thread pools it keeps are all started by then. */
    record Baseline(int pid, int threads, int fds) {}

    static Baseline baseline(TestContainer c) {
        for (int i = 0; i < 3; i++) assertEquals("warm\n", c.jail("echo warm").stdout());
        Await.until(Duration.ofSeconds(20), () -> c.processes().size() == 1, () -> "the warm-up sessions never ended: " + c.processes());
        return new Baseline(c.initPid(), c.initThreads(), c.initFds());
    }

    /** The init still serves, and its threads, fds and process table are back to the baseline. */
    static void assertBackTo(TestContainer c, Baseline b) {
        assertEquals(b.pid(), c.initPid(), "the same init");
        assertTrue(Files.exists(Path.of("/proc/" + b.pid())), "the init is alive");
        Cmd.Result r = c.su("echo still-serving; id -u");
        assertEquals("still-serving\n" + c.uid + "\n", r.stdout(), r::toString);
        Await.until(Duration.ofSeconds(30), () -> c.processes().size() == 1,
                () -> "processes left in the container (host pid=state): " + c.processes());
        Map<Integer, Character> left = c.processes();
        assertEquals(java.util.Set.of(b.pid()), left.keySet(), "only the init is left: " + left);
        assertFalse(left.containsValue('Z'), "no zombie: " + left);
        Await.until(Duration.ofSeconds(30), () -> c.initThreads() <= b.threads() + 2,
                () -> "threads: " + c.initThreads() + ", before: " + b.threads());
        Await.until(Duration.ofSeconds(30), () -> c.initFds() <= b.fds() + 2,
                () -> "fds: " + c.initFds() + ", before: " + b.fds());
    }

    /** Opens N connections and holds them until a line arrives on stdin; then N quick connect/close cycles. */
    static final String FLOOD = """
            import socket, sys, time
            n = int(sys.argv[2]); held = []
            for i in range(n):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(10); s.connect(sys.argv[1]); held.append(s)
            print('held', len(held), flush=True)
            sys.stdin.readline()
            for s in held: s.close()
            t0 = time.monotonic(); cycled = 0
            while cycled < n and time.monotonic() - t0 < 30:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(10); s.connect(sys.argv[1]); s.close(); cycled += 1
            print('cycled', cycled, round((time.monotonic() - t0) * 1000), flush=True)
            """;

    @Test
    void aConnectionFloodDoesNotStarveOrCrashTheInit() throws Exception {
        Baseline before = baseline(target);
        Process flood = Cmd.start(Cmd.Io.CONVERSATION, Map.of(), "runuser", "-u", target.hostUser, "--", PYTHON, "-c", FLOOD,
                "/run/jail/" + target.uid + ".sock", "300");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = flood.getOutputStream()) {
            assertEquals("held 300", out.readLine(), "300 connections are open at once");
            Cmd.Result during = target.su("echo served-during-the-flood");
            assertEquals("served-during-the-flood\n", during.stdout(), "300 silent connections do not block a real one: " + during);
            in.write('\n');
            in.flush();
            String cycled = out.readLine();
            assertNotNull(cycled);
            assertTrue(cycled.startsWith("cycled 300 "), "300 more connections opened and closed: " + cycled);
            assertTrue(flood.waitFor(30, TimeUnit.SECONDS));
        } finally {
            flood.destroyForcibly();
        }
        assertBackTo(target, before);
    }

    /**
     * Many thousands of frames from a fixed seed over hundreds of connections: a valid HELLO mutated
     * (truncated, bits flipped, lengths wrong or oversized, strings corrupted, env_count too big, junk appended),
     * random frames of every type code with right and wrong lengths, sent in random pieces; each connection is
     * then half-closed and read to its end, or dropped at once. Prints counts as "key value" lines.
     */
    static final String FUZZ = """
            import socket, struct, random, sys, time, collections
            path, conns, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            rnd = random.Random(seed)
            def string(b): return struct.pack('>i', len(b)) + b
            def frame(t, p): return bytes([t]) + struct.pack('>I', len(p)) + p
            def hello(mode=1, flags=0, cmd=b'true', term=b'', env=()):
                p = b'JAIL' + struct.pack('>HBBHH', 1, mode, flags, 24, 80)
                p += (b'\\x01' + string(cmd)) if cmd is not None else (b'\\x00' + string(b''))
                return frame(1, p + string(term) + struct.pack('>H', len(env)) + b''.join(string(e) for e in env))
            VALID = [hello(), hello(mode=0, flags=1, cmd=b'exit 3', term=b'xterm', env=(b'LANG=C', b'TZ=UTC')), hello(cmd=b'echo fuzz')]
            LENGTHS = [0, 1, 4, 0xffffffff, 0x7fffffff, 0x80000000, 131072, 131073, 1 << 24]
            def mutate(f):
                f = bytearray(f); k = rnd.randrange(10)
                if k == 0: return bytes(f[:rnd.randrange(len(f))])
                if k == 1:
                    for _ in range(rnd.randint(1, 8)): i = rnd.randrange(len(f) * 8); f[i // 8] ^= 1 << (i % 8)
                elif k == 2: f[1:5] = struct.pack('>I', rnd.choice(LENGTHS + [len(f) - 5 + rnd.randint(-3, 3)]))
                elif k == 3: f[18:22] = struct.pack('>I', rnd.choice([0xffffffff, 0x80000000, 0x7fffffff, 200, 5]))
                elif k == 4:
                    cmd = rnd.choice([b'\\xff\\xfe', b'a\\x00b', b'\\xc0\\xaf', b'\\xed\\xa0\\x80', b'x' * 70000])
                    return hello(cmd=cmd)
                elif k == 5: return hello(env=tuple(b'LC_X=y' for _ in range(rnd.choice([257, 300]))))
                elif k == 6:
                    junk = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 20))); f += junk
                    f[1:5] = struct.pack('>I', len(f) - 5)
                elif k == 7: f[5:11] = bytes(rnd.randrange(256) for _ in range(6))
                elif k == 8:
                    i = rnd.randrange(5, len(f)); f[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
                else:
                    i = rnd.randrange(5, len(f)); del f[i:i + rnd.randint(1, 8)]
                return bytes(f)
            def random_frame():
                t = rnd.randint(1, 11) if rnd.random() < 0.7 else rnd.randrange(256)
                p = bytes(rnd.randrange(256) for _ in range(rnd.choice([0, 1, 2, 4, rnd.randrange(300)])))
                f = frame(t, p)
                if rnd.random() < 0.2: f = f[:1] + struct.pack('>I', rnd.choice(LENGTHS + [rnd.randrange(1 << 32)])) + f[5:]
                return f
            stats = collections.Counter(); t0 = time.monotonic()
            for c in range(conns):
                first = rnd.random()
                frames = [mutate(rnd.choice(VALID)) if first < 0.6 else rnd.choice(VALID) if first < 0.7 else random_frame()]
                frames += [random_frame() if rnd.random() < 0.7 else mutate(rnd.choice(VALID)) for _ in range(rnd.randrange(40))]
                stats['frames'] += len(frames); data = b''.join(frames); stats['bytes'] += len(data)
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(15); s.connect(path)
                try:
                    i = 0
                    while i < len(data):
                        n = rnd.randint(1, 512); s.sendall(data[i:i + n]); i += n
                except OSError:
                    stats['send-refused'] += 1
                if rnd.random() < 0.15:
                    s.close(); stats['dropped'] += 1; continue
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                reply = b''
                try:
                    while True:
                        chunk = s.recv(65536)
                        if not chunk: break
                        reply += chunk
                    stats['reply-%02x' % reply[0] if reply else 'reply-none'] += 1
                except socket.timeout:
                    stats['timeouts'] += 1
                except OSError:
                    stats['reset'] += 1
                s.close()
            stats['connections'] = conns; stats['ms'] = round((time.monotonic() - t0) * 1000)
            for k in sorted(stats): print(k, stats[k])
            """;

    @Test
    void thousandsOfFuzzedFramesChangeNothing() throws IOException {
        Baseline before = baseline(target);
        long log = logSize(target);
        Cmd.Result r = python(target, FUZZ, "1000", "20260401");
        assertEquals(0, r.exit(), r::toString);
        Map<String, String> stats = kv(r.stdout());
        assertTrue(Integer.parseInt(stats.get("frames")) >= 10_000, "many thousands of frames: " + stats);
        assertEquals("1000", stats.get("connections"));
        assertNull(stats.get("timeouts"), "every half-closed connection was ended by the init: " + stats);
        assertTrue(Integer.parseInt(stats.getOrDefault("reply-0a", "0")) > 500, "most were refused with ERROR: " + stats);
        for (String k : stats.keySet()) {
            if (k.startsWith("reply-")) {
                assertTrue(List.of("reply-0a", "reply-02", "reply-none").contains(k), "the first frame back is WELCOME or ERROR: " + stats);
            }
        }
        assertBackTo(target, before);
        // Mutations that stayed valid started real sessions (terminal and pipes); every one of them ended.
        java.util.Set<String> started = sessions(logSince(target, log), "started");
        assertTrue(started.size() > 10, "valid HELLOs were among the fuzz: " + started.size() + " sessions, " + stats);
        Await.until(Duration.ofSeconds(20), () -> sessions(logSince(target, log), "ended").containsAll(started),
                () -> "sessions that never ended: " + started.stream().filter(p -> !sessions(logSince(target, log), "ended").contains(p)).toList());
        String tail = logSince(target, log);
        assertFalse(tail.contains("SEVERE") || tail.contains("Exception"), "nothing unexpected in the log:\n" + tail);
    }

    /** The pids of the "session N started:" (or ended:) lines of a log excerpt. */
    static java.util.Set<String> sessions(String log, String event) {
        java.util.Set<String> pids = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" session (\\d+) " + event + ": ").matcher(log);
        while (m.find()) pids.add(m.group(1));
        return pids;
    }

    /**
     * Keeps N connections open for D seconds, opening a new one whenever the init closes one (a refused peer's
     * connection is closed by the init after its 5 s grace period). Prints "made TOTAL live N".
     */
    static final String SUSTAIN = """
            import socket, sys, time, resource, selectors
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            n = int(sys.argv[2]); dur = float(sys.argv[3]); sel = selectors.DefaultSelector(); live = 0; made = 0
            t0 = time.monotonic()
            while time.monotonic() - t0 < dur:
                while live < n:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.setblocking(False)
                    try:
                        s.connect(sys.argv[1])
                    except OSError:
                        s.close(); break
                    sel.register(s, selectors.EVENT_READ); live += 1; made += 1
                for key, _ in sel.select(0.01):
                    try:
                        d = key.fileobj.recv(4096)
                    except OSError:
                        d = b''
                    if not d:
                        sel.unregister(key.fileobj); key.fileobj.close(); live -= 1
            print('made', made, 'live', live, flush=True)
            """;

    /**
     * Any host user may connect (the socket is 0666; the door is SO_PEERCRED), so an unrelated user can flood
     * every container's init. While it lasts sessions may be slow or refused, but afterwards the init must
     * serve again with its reaper and event loop alive. Bounded: 4 processes x 6000 connections for 12 s.
     */
    @Test
    void anotherUsersConnectionFloodCannotWedgeTheInit() throws Exception {
        try (TestContainer c = TestContainer.busybox("jt-sec-wedge", 64022).start()) {
            Baseline before = baseline(c);
            List<Process> floods = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                floods.add(Cmd.start(Cmd.Io.MERGED, Map.of(), "runuser", "-u", FOREIGN, "--", PYTHON, "-c", SUSTAIN,
                        "/run/jail/" + c.uid + ".sock", "6000", "12"));
            }
            List<String> made = new ArrayList<>();
            for (Process p : floods) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the flood ends");
                made.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            }
            String[] last = new String[1];
            Await.until(Duration.ofSeconds(30), () -> {
                Cmd.Result r = Cmd.run("timeout", "10", Cmd.JAIL, "--uid", String.valueOf(c.uid), "-c", "echo served-again");
                last[0] = r.toString();
                return r.stdout().equals("served-again\n");
            }, () -> "the init never served again after the flood " + made + ": " + last[0]);
            List<String> threads = threadNames(c);
            assertTrue(threads.contains("reaper") && threads.contains("vert.x-eventloo"),
                    "the reaper and the event loop are alive: " + threads);
            assertBackTo(c, before);
        }
    }

    static List<String> threadNames(TestContainer c) throws IOException {
        List<String> names = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + c.initPid() + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    names.add(Files.readString(t.resolve("comm")).trim());
                } catch (IOException e) {
                    // the thread ended
                }
            }
        }
        return names;
    }

    // ---- faults ----

    @Test
    void aSessionWhoseShellIsKilledEndsWith137() throws IOException {
        Baseline before = baseline(target);
        long log = logSize(target);
        Cmd.Result r = target.jail("echo $$; kill -9 $$");
        assertEquals(137, r.exit(), r::toString);
        assertEquals("", r.stderr());
        String pid = r.stdout().trim();
        Await.until(Duration.ofSeconds(10), () -> logSince(target, log).contains("session " + pid + " ended: killed by signal 9"),
                () -> "the end is logged: " + logSince(target, log));
        assertBackTo(target, before);
    }

    @Test
    void aClientKilledWithSigkillLeavesNothingBehind() throws Exception {
        Baseline before = baseline(target);
        long log = logSize(target);
        Process client = Cmd.start(Map.of(), Cmd.JAIL, "--uid", "64021", "-c", "sleep 1234; echo never");
        try {
            Await.until(Duration.ofSeconds(20), () -> Cmd.run("pgrep", "-u", "64021", "-x", "sleep").exit() == 0,
                    () -> "the session never started");
            int shell = Integer.parseInt(Cmd.ok("pgrep", "-u", "64021", "-x", "-f", "sh -c sleep 1234; echo never").trim());
            String nsPid = nsPid(shell);
            assertEquals(3, target.processes().size(), "init, shell, sleep: " + target.processes());

            client.destroyForcibly();
            assertTrue(client.waitFor(10, TimeUnit.SECONDS));
            Await.until(Duration.ofSeconds(20), () -> target.processes().size() == 1,
                    () -> "the session's processes are left: " + target.processes());
            String tail = logSince(target, log);
            assertTrue(tail.contains("session " + nsPid + ": client went away, hanging up"), tail);
            assertTrue(tail.contains("session " + nsPid + " ended: client went away, hung up"), tail);
        } finally {
            client.destroyForcibly();
        }
        assertBackTo(target, before);
    }

    @Test
    void aTerminalClientKilledWithSigkillLeavesNothingBehind() {
        Baseline before = baseline(target);
        try (TerminalSession t = TerminalSession.start(24, 80, Cmd.JAIL, "--uid", "64021")) {
            t.expect("\\$ ");
            t.line("sleep 1235; echo never");
            Await.until(Duration.ofSeconds(20), () -> Cmd.run("pgrep", "-u", "64021", "-x", "-f", "sleep 1235").exit() == 0,
                    () -> "the command never started: " + t.screen());
        } // SIGKILL to the client
        Await.until(Duration.ofSeconds(20), () -> target.processes().size() == 1,
                () -> "the session's processes are left: " + target.processes());
        assertBackTo(target, before);
    }

    static String nsPid(int hostPid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + hostPid + "/status"))) {
            if (line.startsWith("NSpid:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                return f[f.length - 1];
            }
        }
        throw new AssertionError("no NSpid for " + hostPid);
    }

    // Not covered: a full disk inside the container. It needs a small filesystem of its own (a tmpfs or loop
    // device mounted under the rootfs), which is not the tests' to mount on a shared machine.

    // ---- the flags that set the limits ----

    @Test
    void jaildValidatesItsLimits() {
        String root = target.root.toString();
        Object[][] cases = {
                {new String[]{"--max-sessions", "0"}, "jaild: --max-sessions must be at least 1\n"},
                {new String[]{"--hello-timeout", "0"}, "jaild: --hello-timeout must be 1..3600 seconds\n"},
                {new String[]{"--hello-timeout", "3601"}, "jaild: --hello-timeout must be 1..3600 seconds\n"},
        };
        for (Object[] c : cases) {
            List<String> argv = new ArrayList<>(List.of(Cmd.JAILD, "-u", "64029", "-r", root));
            argv.addAll(List.of((String[]) c[0]));
            Cmd.Result r = Cmd.run(argv.toArray(String[]::new));
            assertEquals(1, r.exit(), r::toString);
            assertEquals(c[1], r.stderr(), r::toString);
        }
    }
}

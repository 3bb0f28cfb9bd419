package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, per-session accounting: in a container with cgroup limits each session runs in a child cgroup of the
 * container's, from before its program starts; its CPU time and peak memory end up in its audit line and
 * {@code jaild status} shows them while it runs; the child is removed at the end, and what the session left
 * running moves to the container's cgroup. The container's limits still cover all sessions together.
 */
@RequiresRoot
class SessionAccountingTest {
    static final int UID = 60320;
    static final String NAME = "jcg-accounting";
    static final Path LOG = Path.of("/var/log/jail/" + UID + ".log");
    static final List<String> HIERARCHIES = List.of("memory", "pids", "cpuacct");

    static LimitedContainer container;

    @BeforeAll
    static void start() throws Exception {
        container = LimitedContainer.start(NAME, UID, "memory: 256M, pids: 64");
    }

    @AfterAll
    static void stop() {
        if (container != null) container.close();
    }

    static Cmd.Result inside(String command) {
        return container.jail(command);
    }

    static Path containerCgroup(String hierarchy) {
        return Path.of("/sys/fs/cgroup", hierarchy, "jail", "uid-" + UID);
    }

    static List<Path> sessionCgroups() throws Exception {
        List<Path> all = new java.util.ArrayList<>();
        for (String h : HIERARCHIES) {
            try (var s = Files.list(containerCgroup(h))) {
                s.filter(Files::isDirectory).forEach(all::add);
            }
        }
        return all;
    }

    @Test
    void eachSessionRunsInAChildOfTheContainersCgroupAndItsUseIsInTheAuditLine() throws Exception {
        // Burns CPU and fills a 16 MiB buffer, then says where it runs.
        String command = ": accounting-probe; dd if=/dev/zero of=/dev/null bs=16M count=4 2>/dev/null; i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; "
                + "cat /proc/self/cgroup";
        Cmd.Result r = inside(command);
        assertEquals(0, r.exit(), r.toString());
        for (String h : HIERARCHIES) {
            assertTrue(r.stdout().matches("(?s).*:" + h + ":/jail/uid-" + UID + "/session-\\d+\n.*"), h + ": " + r.stdout());
        }
        String ended = awaitLine("accounting-probe");
        Matcher m = Pattern.compile("ended: exit 0, after [\\d.]+ s, cpu (\\d+\\.\\d\\d) s, peak memory ([\\d.]+)([KMG]);").matcher(ended);
        assertTrue(m.find(), ended);
        assertTrue(Double.parseDouble(m.group(1)) > 0.05, "the loop's CPU time: " + ended);
        double peakMiB = Double.parseDouble(m.group(2)) * switch (m.group(3)) { case "K" -> 1.0 / 1024; case "G" -> 1024; default -> 1; };
        assertTrue(peakMiB >= 16 && peakMiB < 256, "dd's 16 MiB buffer: " + ended);
        Await.until(Duration.ofSeconds(10), () -> sessionCgroupsQuietly().isEmpty(), () -> "left: " + sessionCgroupsQuietly());
    }

    @Test
    void statusShowsARunningSessionsUseAndTheContainersLimitsCoverAllSessions() throws Exception {
        Process running = Cmd.start(Cmd.Io.CONVERSATION, java.util.Map.of(), Cmd.JAIL, "--uid", String.valueOf(UID), "-c",
                "dd if=/dev/zero of=/dev/null bs=8M count=1 2>/dev/null; echo ready; sleep 30");
        try {
            assertEquals("ready", new java.io.BufferedReader(new java.io.InputStreamReader(running.getInputStream())).readLine());
            String json = Cmd.ok(Cmd.JAILD, "status", NAME, "--json");
            Matcher m = Pattern.compile("\"peakMemoryBytes\" : (\\d+)").matcher(json);
            assertTrue(m.find(), json);
            assertTrue(Long.parseLong(m.group(1)) >= 8L << 20, json);
            assertTrue(json.contains("\"cpuNanos\" : "), json);
            String text = Cmd.ok(Cmd.JAILD, "status", NAME);
            assertTrue(text.matches("(?s).*sleep 30 +\\[cpu \\d+\\.\\d\\d s, peak memory [\\d.]+M\\].*"), text);
            // Two sessions at once, each in a child of its own, both under the container's one limit.
            List<Path> first = sessionCgroups();
            assertEquals(HIERARCHIES.size(), first.size(), first.toString());
            Cmd.Result second = inside("cat /proc/self/cgroup");
            Matcher own = Pattern.compile(":memory:/jail/uid-" + UID + "/(session-\\d+)").matcher(second.stdout());
            assertTrue(own.find(), second.toString());
            assertNotEquals(first.getFirst().getFileName().toString(), own.group(1));
            assertEquals("268435456", Files.readString(containerCgroup("memory").resolve("memory.limit_in_bytes")).strip());
        } finally {
            Cmd.end(running);
        }
    }

    @Test
    void aDaemonLeftBehindMovesToTheContainersCgroupAndTheSessionsChildGoes() throws Exception {
        // The pause lets the daemon leave the session's process group before the session ends (and is hung up).
        Cmd.Result r = inside("setsid sleep 120 </dev/null >/dev/null 2>&1 & pid=$!; sleep 1; echo $pid");
        assertEquals(0, r.exit(), r.toString());
        // the session's cgroups are removed though the daemon runs
        Await.until(Duration.ofSeconds(10), () -> sessionCgroupsQuietly().isEmpty(), () -> "left: " + sessionCgroupsQuietly());
        // The daemon (the container's pid of it, read on the host as a host pid) is in the container's cgroup.
        String procs = Files.readString(containerCgroup("memory").resolve("cgroup.procs"));
        int initPid = Integer.parseInt(Cmd.ok("cat", "/run/jail/" + UID + ".state").lines()
                .filter(l -> l.startsWith("pid=")).findFirst().orElseThrow().substring(4).strip());
        long daemons = procs.lines().filter(p -> !p.equals(String.valueOf(initPid)))
                .filter(p -> readQuietly(Path.of("/proc", p, "cmdline")).equals("sleep\u0000120\u0000")).count();
        assertEquals(1, daemons, "the daemon is counted in the container's cgroup: " + procs);
        assertEquals("alive\n", inside("kill " + r.stdout().strip() + "; echo alive").stdout());
    }

    private static List<Path> sessionCgroupsQuietly() {
        try {
            return sessionCgroups();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }

    /** The last "ended" line of the container's log that contains {@code text}, waiting for it up to 10 s. */
    private static String awaitLine(String text) {
        return Await.value(Duration.ofSeconds(10),
                () -> Files.readAllLines(LOG).stream().filter(l -> l.contains(text) && l.contains(" ended: ")).toList(),
                lines -> !lines.isEmpty(), lines -> "no line with '" + text + "' in " + LOG).getLast();
    }
}

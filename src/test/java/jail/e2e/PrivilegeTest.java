package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Privileges, read back from /proc inside real sessions: an ordinary container user keeps no capability, its
 * uid, gid and groups are exactly the container's, no_new_privs is on unless --allow-setuid, and even a
 * setuid-root program cannot get past the reduced bounding set. uid 0 needs --allow-root (its bounding set
 * is checked in {@link IsolationTest}, which owns the uid 0 container).
 */
@RequiresRoot
class PrivilegeTest {
    /**
     * Capabilities no session keeps in its bounding set (DANGEROUS_CAPS of jail-exec.c): DAC_READ_SEARCH,
     * NET_ADMIN, NET_RAW, IPC_LOCK, SYS_MODULE, SYS_RAWIO, SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE,
     * SYS_RESOURCE, SYS_TIME, MKNOD, AUDIT_WRITE, AUDIT_CONTROL, AUDIT_READ, MAC_OVERRIDE, MAC_ADMIN, SYSLOG,
     * WAKE_ALARM, BLOCK_SUSPEND, PERFMON, BPF, CHECKPOINT_RESTORE.
     */
    static final int[] DANGEROUS = {2, 12, 13, 14, 16, 17, 19, 20, 21, 22, 23, 24, 25, 27, 29, 30, 37, 32, 33, 34, 35,
            36, 38, 39, 40};
    static final long DANGEROUS_MASK;

    static {
        long m = 0;
        for (int cap : DANGEROUS) m |= 1L << cap;
        DANGEROUS_MASK = m;
    }

    /** The ones named in issue 4: SYS_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_PTRACE, SYS_BOOT, MKNOD. */
    static final int[] NAMED = {21, 16, 17, 19, 22, 27};

    static TestContainer plain;
    static TestContainer setuid;

    @BeforeAll
    static void start() throws IOException {
        plain = prepare(TestContainer.debian("jt-sec-priv", 64010)).start();
        setuid = prepare(TestContainer.debianPrivate("jt-sec-suid", 64011)).start("--allow-setuid");
    }

    @AfterAll
    static void stop() {
        if (plain != null) plain.close();
        if (setuid != null) setuid.close();
    }

    /** Extra groups for "work" in the container's /etc/group, and setuid-root copies of id and cat. */
    static TestContainer prepare(TestContainer c) throws IOException {
        Files.writeString(c.root.resolve("etc/group"), "jtsec-a:x:64097:work\njtsec-b:x:64098:nobody,work\njtsec-c:x:64096:nobody\n",
                StandardOpenOption.APPEND);
        for (String tool : new String[]{"id", "cat"}) {
            Path copy = c.root.resolve("usr/local/bin/suid-" + tool);
            Files.copy(c.root.resolve("usr/bin/" + tool), copy);
            Cmd.ok("chown", "root:root", copy.toString());
            Cmd.ok("chmod", "4755", copy.toString());
        }
        return c;
    }

    /** The "Key:\tvalue" lines of a /proc/PID/status printed by a session. */
    static Map<String, String> status(Cmd.Result r) {
        if (r.exit() != 0) throw new AssertionError("reading the status failed: " + r);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Cmd.lines(r.stdout())) {
            int colon = line.indexOf(':');
            if (colon > 0) m.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return m;
    }

    /** The init's bounding set (the host's, since jaild runs as root): sessions get it minus {@link #DANGEROUS}. */
    static long initBounding(TestContainer c) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + c.initPid() + "/status"))) {
                if (line.startsWith("CapBnd:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no CapBnd in the init's status");
    }

    static String expectedBounding(TestContainer c) {
        return String.format("%016x", initBounding(c) & ~DANGEROUS_MASK);
    }

    static void assertNamedCapsGone(String capBnd) {
        long bnd = Long.parseUnsignedLong(capBnd, 16);
        for (int cap : NAMED) assertEquals(0, bnd & (1L << cap), "capability " + cap + " left in " + capBnd);
    }

    @Test
    void anOrdinarySessionKeepsNoCapabilityAndExactlyItsIds() {
        Map<String, String> s = status(plain.su("cat /proc/self/status"));
        assertEquals("64010\t64010\t64010\t64010", s.get("Uid"));
        assertEquals("64010\t64010\t64010\t64010", s.get("Gid"));
        assertEquals(List.of("64010", "64097", "64098"), List.of(s.get("Groups").split("\\s+")),
                "the user's own group and its groups from the container's /etc/group, nothing else");
        assertEquals("0000000000000000", s.get("CapInh"));
        assertEquals("0000000000000000", s.get("CapPrm"));
        assertEquals("0000000000000000", s.get("CapEff"));
        assertEquals("0000000000000000", s.get("CapAmb"));
        assertEquals(expectedBounding(plain), s.get("CapBnd"));
        assertNamedCapsGone(s.get("CapBnd"));
        assertEquals("1", s.get("NoNewPrivs"));

        assertEquals("uid=64010(work) gid=64010(work) groups=64010(work),64097(jtsec-a),64098(jtsec-b)\n",
                plain.su("id").stdout());
        assertEquals("1\n", plain.su("sh -c 'grep NoNewPrivs /proc/self/status' | cut -f2").stdout(),
                "children inherit no_new_privs");
    }

    @Test
    void setuidProgramsGainNothingByDefault() {
        assertEquals("64010\n64010\n", plain.su("suid-id -u; suid-id -ru").stdout(), "the setuid bit is ignored");
        Map<String, String> s = status(plain.su("suid-cat /proc/self/status"));
        assertEquals("0000000000000000", s.get("CapEff"));
        assertEquals("64010\t64010\t64010\t64010", s.get("Uid"));
    }

    @Test
    void allowSetuidTurnsNoNewPrivsOffButTheBoundingSetStillHolds() {
        Map<String, String> s = status(setuid.su("cat /proc/self/status"));
        assertEquals("0", s.get("NoNewPrivs"));
        assertEquals("0000000000000000", s.get("CapEff"));
        assertEquals("64011\t64011\t64011\t64011", s.get("Uid"));

        assertEquals("0\n64011\n", setuid.su("suid-id -u; suid-id -ru").stdout(), "setuid programs work (sudo, su)");
        Map<String, String> root = status(setuid.su("suid-cat /proc/self/status"));
        assertEquals("64011\t0\t0\t0", root.get("Uid"));
        assertEquals(expectedBounding(setuid), root.get("CapBnd"));
        assertEquals(root.get("CapBnd"), root.get("CapEff"), "a setuid-root program gets no more than the bounding set");
        assertNamedCapsGone(root.get("CapEff"));
    }

    @Test
    void jaildRefusesAUidZeroContainerWithoutAllowRoot() {
        for (String u : new String[]{"0", "0:0"}) {
            Cmd.Result r = Cmd.run(Cmd.JAILD, "-u", u, "-r", plain.root.toString());
            assertEquals(1, r.exit(), r::toString);
            assertEquals("", r.stdout());
            assertEquals("jaild: uid 0 containers run sessions as root inside; pass --allow-root to allow it\n", r.stderr());
        }
    }
}

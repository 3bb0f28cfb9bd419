package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A session inherits nothing of its init's but the container: jaild is started the way a careless unit file
 * or admin shell would start it (inheritable and ambient capabilities, a raised open-file limit, unlimited
 * core dumps), and the init's oom_score_adj is set the way jaild sets it where it may (-1000) or, where this
 * host's root lacks CAP_SYS_RESOURCE, to another value than a session's (500): sessions must still get
 * oom_score_adj 0, a login's limits, empty inheritable and ambient sets, no signal blocked or ignored, and
 * the container's cgroups. Nothing here depends on whether root has CAP_SYS_RESOURCE.
 */
@RequiresRoot
class NothingInheritedTest {
    /** The capabilities a careless start hands down: SYS_ADMIN, NET_RAW, SYS_MODULE, DAC_READ_SEARCH. */
    static final String CAPS = "+sys_admin,+net_raw,+sys_module,+dac_read_search";
    static TestContainer user;
    static TestContainer root;

    @BeforeAll
    static void start() {
        user = carelesslyStarted(TestContainer.busybox("jt-sec-inh", 69011));
        root = carelesslyStarted(TestContainer.rootContainer("busybox", "jt-sec-inh-root", 69012), "--allow-root");
    }

    @AfterAll
    static void stop() {
        if (user != null) user.close();
        if (root != null) root.close();
    }

    static TestContainer carelesslyStarted(TestContainer c, String... flags) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--inh-caps", CAPS, "--ambient-caps", CAPS,
                "prlimit", "--nofile=20000:20000", "--core=unlimited:unlimited", "--"));
        argv.addAll(List.of(c.jaildArgv(flags)));
        Cmd.Result r = Cmd.run(argv.toArray(String[]::new));
        if (r.exit() != 0) throw new AssertionError("jaild failed: " + r);
        String init = status(c.initPid());
        assertNotEquals("0000000000000000", field(init, "CapInh"), "the set-up did not give the init inheritable capabilities");
        // jaild's own -1000 where root may lower it; else any other value than a session's.
        if (!write("/proc/" + c.initPid() + "/oom_score_adj", "-1000")) assertTrue(write("/proc/" + c.initPid() + "/oom_score_adj", "500"));
        return c;
    }

    static boolean write(String path, String value) {
        try {
            Files.writeString(Path.of(path), value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String status(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/status"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1).trim();
    }

    static void assertNothingInherited(TestContainer c, Cmd.Result r) throws IOException {
        assertEquals(0, r.exit(), r::toString);
        String[] parts = r.stdout().split("---\n");
        String session = parts[0];
        assertEquals("0000000000000000", field(session, "CapInh"), "inheritable capabilities of the init");
        assertEquals("0000000000000000", field(session, "CapAmb"), "ambient capabilities of the init");
        long permitted = Long.parseUnsignedLong(field(session, "CapPrm"), 16);
        assertEquals(0, permitted & PrivilegeTest.DANGEROUS_MASK, "dangerous capabilities permitted: " + field(session, "CapPrm"));
        assertEquals("0000000000000000", field(session, "SigBlk"), "signals blocked");
        assertEquals("0000000000000000", field(session, "SigIgn"), "signals ignored");
        assertEquals("0", parts[1].trim(), "oom_score_adj of the init");
        assertEquals("1024 0", parts[2].trim(), "open files and core size of the init, not a login's");
        assertEquals(Files.readString(Path.of("/proc/" + c.initPid() + "/cgroup")), parts[3], "cgroups other than the container's");
    }

    static final String PROBE = "cat /proc/self/status; echo ---; cat /proc/self/oom_score_adj; echo ---; "
            + "echo $(ulimit -n) $(ulimit -c); echo ---; cat /proc/self/cgroup";

    @Test
    void anOrdinarySessionInheritsNothingOfTheInit() throws IOException {
        assertNothingInherited(user, user.su(PROBE));
        assertEquals("0000000000000000", field(user.su("cat /proc/self/status").stdout(), "CapPrm"));
    }

    @Test
    void aRootSessionGetsNeitherTheInheritableNorTheAmbientCapabilities() throws IOException {
        assertNothingInherited(root, root.jail(PROBE));
        // The inheritable set is not bounded by the bounding set: root inside would get SYS_ADMIN through it.
        assertNotEquals(0, root.jail("mount -t tmpfs none /mnt").exit(), "root inside mounted a file system");
    }
}

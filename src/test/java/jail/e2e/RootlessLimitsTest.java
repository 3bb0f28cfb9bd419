package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 14, limits where the user may delegate cgroups (cgroup v1, as on this host): root grants a user a cap
 * with {@code jaild delegate USER}, and that user's rootless container gets its configured limits below it. A
 * memory hog inside is OOM-killed and a fork bomb stops, while the container lives on; the user, on the host,
 * cannot raise root's cap (the grant's own limit files stay root's) nor take a process out of it, and raising
 * its own container's limits (files it owns) changes nothing: the cap is enforced on the whole subtree.
 * Without a grant, a rootless container with limits fails with one line saying what to ask the admin for.
 */
@RequiresRoot
class RootlessLimitsTest {
    static final int UID = 60330;
    static final long CAP_BYTES = 128L << 20;
    static RootlessUser user;
    static Path memoryGrant;

    @BeforeAll
    static void setUp() throws Exception {
        user = RootlessUser.create("jcg-rl", UID);
        Cmd.run(Cmd.JAILD, "delegate", "--revoke", user.name);
        Path root = user.rootfs("busybox", "bb");
        Path config = user.home.resolve(".config/jail/jail.yaml");
        Files.createDirectories(config.getParent());
        // The container asks for more than root will grant: the grant is what holds.
        Files.writeString(config, "jail:\n  containers:\n    capped:\n      uid: " + UID + "\n      root: " + root
                + "\n      limits: { memory: 1G, pids: 200 }\n");
        Cmd.ok("chown", "-R", user.name + ":" + user.name, user.home.resolve(".config").toString());
        memoryGrant = Path.of("/sys/fs/cgroup/memory/jail-user/" + UID);
    }

    @AfterAll
    static void cleanUp() {
        if (user == null) return;
        user.jaild("stop", "--all");
        Cmd.run(Cmd.JAILD, "delegate", "--revoke", user.name);
        user.close();
    }

    private static Cmd.Result inside(String command) {
        return user.jail(command);
    }

    @Test
    void limitsWorkRootlessWithinWhatRootDelegatedAndTheUserCannotRaiseThem() throws Exception {
        // Nothing delegated yet: one line, naming what to ask for.
        Cmd.Result refused = user.jaild("start");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("capped: failed:") && refused.stdout().contains("cgroup limits of a rootless "
                + "container need cgroups delegated to you: ask the admin to run 'jaild delegate " + UID + "'"), refused.toString());
        assertFalse(refused.stdout().contains("Exception") || refused.stderr().contains("Exception"), refused.toString());

        Cmd.Result granted = Cmd.run(Cmd.JAILD, "delegate", user.name, "--memory", "128M", "--pids", "40");
        assertEquals(0, granted.exit(), granted.toString());
        // The grant: the directory is the user's, its limit files and cgroup.procs stay root's.
        assertEquals(String.valueOf(UID), Cmd.ok("stat", "-c", "%u", memoryGrant.toString()).strip());
        for (String f : new String[]{"memory.limit_in_bytes", "cgroup.procs", "tasks"}) {
            assertEquals("0 644", Cmd.ok("stat", "-c", "%u %a", memoryGrant.resolve(f).toString()).strip(), f);
        }
        assertEquals(String.valueOf(CAP_BYTES), Files.readString(memoryGrant.resolve("memory.limit_in_bytes")).strip());

        Cmd.Result started = user.jaild("start");
        assertEquals(0, started.exit(), started.toString());
        Path container = memoryGrant.resolve("uid-" + UID);
        assertEquals(String.valueOf(1L << 30), Files.readString(container.resolve("memory.limit_in_bytes")).strip());

        // Sessions run below the grant, each in a cgroup of its own.
        Cmd.Result where = inside("cat /proc/self/cgroup");
        assertTrue(where.stdout().contains(":memory:/jail-user/" + UID + "/uid-" + UID + "/session-"), where.toString());
        assertTrue(where.stdout().contains(":pids:/jail-user/" + UID + "/uid-" + UID + "/session-"), where.toString());

        // A memory hog meets root's cap (the container asked for 1G): it is killed, the container lives on.
        Cmd.Result hog = inside("tail /dev/zero");
        assertEquals(137, hog.exit(), "killed by the OOM killer: " + hog);
        assertEquals("alive\n", inside("echo alive").stdout());

        // A fork bomb stops at root's 40 processes (the container asked for 200).
        Cmd.Result bomb = inside("n=0; while [ $n -lt 100 ]; do sleep 2 </dev/null >/dev/null 2>&1 & n=$((n+1)); done; echo looped");
        assertTrue(bomb.stderr().contains("can't fork") || bomb.stderr().contains("Resource temporarily unavailable"), bomb.toString());
        awaitAlive();

        // The attack, as the user on the host: raise root's cap, leave the grant, lift its own container's limits.
        Cmd.Result raiseCap = user.run("sh", "-c", "echo -1 > " + memoryGrant.resolve("memory.limit_in_bytes"));
        assertNotEquals(0, raiseCap.exit(), raiseCap.toString());
        assertTrue(raiseCap.stderr().contains("Permission denied"), raiseCap.toString());
        for (String out : new String[]{"/sys/fs/cgroup/memory/cgroup.procs", memoryGrant.resolve("cgroup.procs").toString(),
                "/sys/fs/cgroup/pids/cgroup.procs"}) {
            Cmd.Result leave = user.run("sh", "-c", "echo $$ > " + out);
            assertTrue(leave.stderr().contains("Permission denied"), out + ": " + leave);
        }
        Cmd.Result lift = user.run("sh", "-c", "cd " + container + " && echo -1 > memory.memsw.limit_in_bytes 2>/dev/null; "
                + "echo -1 > memory.limit_in_bytes && cat memory.limit_in_bytes && echo max > /sys/fs/cgroup/pids/jail-user/"
                + UID + "/uid-" + UID + "/pids.max");
        assertEquals(0, lift.exit(), "its own container's files are the user's: " + lift);
        Cmd.Result hogAgain = inside("tail /dev/zero");
        assertEquals(137, hogAgain.exit(), "root's cap still holds: " + hogAgain);
        Cmd.Result bombAgain = inside("n=0; while [ $n -lt 100 ]; do sleep 2 </dev/null >/dev/null 2>&1 & n=$((n+1)); done; echo looped");
        assertTrue(bombAgain.stderr().contains("can't fork") || bombAgain.stderr().contains("Resource temporarily unavailable"),
                bombAgain.toString());
        awaitAlive();
        long peak = Long.parseLong(Files.readString(memoryGrant.resolve("memory.max_usage_in_bytes")).strip());
        assertTrue(peak <= CAP_BYTES, "the grant never held more than root's cap: " + peak);

        // Stopping removes the container's cgroup; the grant stays for the next start.
        assertEquals(0, user.jaild("stop", "--all").exit());
        assertFalse(Files.exists(container), container + " removed");
        assertTrue(Files.isDirectory(memoryGrant));
    }

    private static void awaitAlive() {
        Await.until(java.time.Duration.ofSeconds(30), () -> inside("echo alive").stdout().equals("alive\n"),
                () -> "no session answers: " + inside("echo alive"));
    }
}

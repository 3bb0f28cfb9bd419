package jail.e2e;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Rootless containers (issue 14): ordinary host users, made here, start containers of their own with
 * {@code jaild -r ROOTDIR} on root filesystems they own, enter them with {@code jail}, and stop them, with no
 * help from root. {@code owner} has a busybox and a Debian root filesystem and no subordinate ids; {@code ranged}
 * has ranges in /etc/subuid and /etc/subgid; {@code other} is a bystander.
 */
@RequiresRoot
class RootlessContainerTest {
    static final long SUB_START = 2_000_000_000L;
    static RootlessUser owner, ranged, other;
    static Path busybox, debian;

    @BeforeAll
    static void users() {
        owner = RootlessUser.create("jrt-own", 61610);
        ranged = RootlessUser.create("jrt-sub", 61611, SUB_START, 65536);
        other = RootlessUser.create("jrt-oth", 61612);
        busybox = owner.rootfs("busybox", "bb");
        debian = owner.rootfs("debian", "deb");
    }

    @AfterAll
    static void cleanUp() {
        for (RootlessUser u : new RootlessUser[]{owner, ranged, other}) if (u != null) u.close();
    }

    /** Starts a container of {@code u} on {@code root}; returns what its /dev and /proc held before. */
    private static String start(RootlessUser u, Path root, String... flags) {
        String before = mountPoints(root);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(flags));
        args.addAll(java.util.List.of("-r", root.toString()));
        Cmd.Result r = u.jaild(args.toArray(String[]::new));
        assertEquals(0, r.exit(), "jaild as " + u.name + ": " + r);
        return before;
    }

    private static String mountPoints(Path root) {
        return Cmd.ok("ls", "-A", root.resolve("dev").toString(), root.resolve("proc").toString());
    }

    @Test
    void anOrdinaryUserStartsEntersListsAndStopsItsOwnContainer() {
        String before = start(owner, busybox);
        try {
            Path state = owner.runtimeDir.resolve("jail");
            assertTrue(Files.exists(state.resolve("61610.sock")), "the socket is in the user's runtime directory");
            assertFalse(Files.exists(Path.of("/run/jail/61610.state")), "nothing in /run/jail");
            assertTrue(Files.exists(owner.home.resolve(".local/state/jail/61610.log")), "the log is in the user's state directory");

            Cmd.Result id = owner.jail("id");
            assertEquals(0, id.exit(), id.toString());
            assertTrue(id.stdout().startsWith("uid=61610(jrt-own) gid=61610(jrt-own)"), id.stdout());

            // Only the container's processes: the init as PID 1 and the session (sh, which may exec ps itself).
            Cmd.Result ps = owner.jail("ps -o pid,comm");
            assertEquals(0, ps.exit(), ps.toString());
            assertTrue(ps.stdout().contains("\n    1 java"), ps.stdout());
            for (String line : Cmd.lines(ps.stdout()).subList(1, Cmd.lines(ps.stdout()).size())) {
                assertTrue(line.matches("\\s*(1 java|\\d+ (sh|ps))"), "not the container's: " + line);
            }

            // The host's files are out of reach: not the project, not the user's own home outside the rootfs.
            Cmd.Result host = owner.jail("ls " + Cmd.PROJECT + " " + owner.home + "/deb; cat /proc/1/cmdline >/dev/null && echo proc-ok");
            assertTrue(host.stderr().contains("No such file"), host.toString());
            assertTrue(host.stdout().contains("proc-ok"), host.toString());

            Cmd.Result list = owner.jaild("list");
            assertTrue(list.stdout().contains("61610") && list.stdout().contains(busybox.toString()), list.toString());
            Cmd.Result status = owner.jaild("status", "61610");
            assertEquals(0, status.exit(), status.toString());
        } finally {
            assertEquals(0, owner.jaild("stop", "61610").exit());
        }
        assertNothingLeft(owner, busybox, before);
    }

    /** The user's own ~/.config/jail/jail.yaml, for jaild start and for jaild run (the systemd user unit's command). */
    @Test
    void theUsersOwnConfigurationStartsAndSupervisesItsContainers() throws Exception {
        Path config = owner.home.resolve(".config/jail/jail.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "jail:\n  containers:\n    mine:\n      uid: 61610\n      root: " + busybox + "\n      hostname: mine\n");
        Cmd.ok("chown", "-R", owner.name + ":" + owner.name, owner.home.resolve(".config").toString());
        String before = mountPoints(busybox);

        Cmd.Result started = owner.jaild("start");
        assertEquals(0, started.exit(), started.toString());
        assertTrue(started.stdout().startsWith("mine: started (uid 61610, init pid "), started.stdout());
        assertEquals("mine\n", owner.jail("hostname").stdout());
        assertEquals(0, owner.jaild("stop", "mine").exit());
        assertNothingLeft(owner, busybox, before);

        Process supervisor = Cmd.start(Map.of(), owner.argvAs(Cmd.JAILD, "run"));
        try {
            Await.until(java.time.Duration.ofSeconds(60), () -> owner.jaild("list").stdout().contains(" running "),
                    () -> "jaild run did not start the user's container: " + owner.jaild("list"));
            assertEquals("mine\n", owner.jail("hostname").stdout());
            Cmd.ok("pkill", "-TERM", "-u", "61610", "-f", "quarkus-run.jar run");
            assertTrue(supervisor.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "jaild run did not end on SIGTERM");
        } finally {
            supervisor.destroyForcibly();
        }
        Await.until(java.time.Duration.ofSeconds(30), () -> !owner.jaild("list").stdout().contains(" running "),
                () -> "the container outlived its supervisor: " + owner.jaild("list"));
        assertNothingLeft(owner, busybox, before);
        Files.delete(config);
    }

    @Test
    void aTerminalSessionGetsAPtyOfTheContainersOwnDevpts() {
        String before = start(owner, busybox);
        try (TerminalSession t = TerminalSession.start(24, 80, owner.argvAs(Cmd.JAIL))) {
            t.line("echo U$(id -u)T; tty");
            t.expect("U61610T");
            t.expect("/dev/pts/\\d+");
            t.line("exit 7");
            assertEquals(7, t.waitExit().shellCode());
        } finally {
            owner.jaild("stop", "61610");
        }
        assertNothingLeft(owner, busybox, before);
    }

    @Test
    void aDebianRootFilesystemWorksAsTheUserAndAsRootInsideButChownToOtherUidsNeedsSubordinateIds() {
        String before = start(owner, debian);
        try {
            Cmd.Result r = owner.jail("id -un; cat /etc/debian_version");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stdout().startsWith("jrt-own\n"), r.toString());
        } finally {
            owner.jaild("stop", "61610");
        }
        assertNothingLeft(owner, debian, before);
        // Root inside is the owner itself (the home, 0700, keeps setuid files made inside from other users).
        before = start(owner, debian, "-u", "0", "--allow-root");
        try {
            Cmd.Result r = owner.jail("id -u; stat -c %U /etc/passwd; touch /tmp/f; chown 1234 /tmp/f");
            assertTrue(r.stdout().startsWith("0\nroot\n"), r.toString());
            assertNotEquals(0, r.exit(), "uid 1234 does not exist in a single-uid user namespace: " + r);
            assertTrue(r.stderr().contains("Invalid argument"), r.toString());
        } finally {
            owner.jaild("stop", "0");
        }
        assertNothingLeft(owner, debian, before);
    }

    @Test
    void anotherUserCannotEnterListOrStopIt() throws Exception {
        String before = start(owner, busybox);
        try {
            Cmd.Result enter = other.run(Cmd.JAIL, "--uid", "61610", "-c", "id");
            assertNotEquals(0, enter.exit(), enter.toString());
            // The socket itself, bypassing the client: the runtime directory is the owner's (0700).
            Path socket = owner.runtimeDir.resolve("jail/61610.sock");
            Cmd.Result connect = other.run("python3", "-c", "import socket; s=socket.socket(socket.AF_UNIX); s.connect('" + socket + "')");
            assertTrue(connect.stderr().contains("PermissionError"), connect.toString());
            assertFalse(other.jaild("list").stdout().contains("61610"), "another user's list shows nothing of it");
            assertNotEquals(0, other.jaild("stop", "61610").exit());
            // Host root reaches the socket, but the kernel shows it to the init as the overflow uid: refused.
            Cmd.Result root = Cmd.run("python3", "-c", "import socket; s=socket.socket(socket.AF_UNIX); s.connect('" + socket
                    + "'); s.sendall(b'x'); print(s.recv(200))");
            assertTrue(root.stdout().contains("permission denied: uid 65534"), root.toString());
            assertEquals(0, owner.jail("true").exit(), "the owner still gets in");
        } finally {
            owner.jaild("stop", "61610");
        }
        assertNothingLeft(owner, busybox, before);
    }

    @Test
    void withSubordinateIdsRootInsideChownsToOtherUidsThatAreSubordinateOnTheHost() throws Exception {
        Path root = ranged.rootfs("debian", "private/deb");
        String before = start(ranged, root, "-u", "0", "--allow-root");
        try {
            Cmd.Result r = ranged.jail("id -u; touch /tmp/f; chown 1234:4321 /tmp/f; stat -c %u:%g /tmp/f; stat -c %U /etc/passwd");
            assertEquals(0, r.exit(), r.toString());
            assertEquals("0\n1234:4321\nroot\n", r.stdout(), "root inside, chown works, the user's files are root's inside");
            Path f = root.resolve("tmp/f");
            assertEquals((int) (SUB_START + 1233), (Integer) Files.getAttribute(f, "unix:uid"), "uid 1234 inside is a subordinate uid outside");
        } finally {
            ranged.jaild("stop", "0");
        }
        assertNothingLeft(ranged, root, before);
    }

    /** No process of the user, no state, no mount of the rootfs, its /dev and /proc as they were. */
    private static void assertNothingLeft(RootlessUser u, Path root, String before) {
        Await.until(Duration.ofSeconds(10), () -> u.processes().isEmpty(), () -> "processes left: " + u.processes());
        try (var files = Files.list(u.runtimeDir.resolve("jail"))) {
            assertEquals(0, files.count(), "state left in " + u.runtimeDir);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertFalse(Cmd.ok("cat", "/proc/self/mountinfo").contains(root.toString()), "a mount of the rootfs is left");
        assertEquals(before, mountPoints(root));
    }
}

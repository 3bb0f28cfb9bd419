package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The transcript of the original design, for real: two containers (Debian and busybox) started by jaild,
 * entered with {@code su - USER -c ...} through the host users' login shell bin/jail.
 */
@RequiresRoot
class OriginalDemoTest {
    static TestContainer debian;
    static TestContainer busybox;

    @BeforeAll
    static void start() {
        debian = TestContainer.debian("jt-demo-deb", 62001).start();
        busybox = TestContainer.busybox("jt-demo-bb", 62002).start();
    }

    @AfterAll
    static void stop() {
        if (debian != null) debian.close();
        if (busybox != null) busybox.close();
    }

    @Test
    void idNamesComeFromTheContainersOwnFiles() {
        Cmd.Result r = debian.su("id");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("uid=62001(work) gid=62001(work) groups=62001(work)\n", r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void suSessionsAreAudited() {
        assertEquals(0, debian.su("echo audited-through-su").exit());
        Path log = Path.of("/var/log/jail/62001.log");
        String ended = "(?s).* INFO session \\d+ ended: exit 0, after [\\d.]+ s; user work \\(uid 62001\\), from local, "
                + "pipes, command: echo audited-through-su\n.*";
        Await.until(java.time.Duration.ofSeconds(10), () -> read(log).matches(ended), () -> "no audit line in:\n" + read(log));
        assertTrue(read(log).matches("(?s).* INFO session \\d+ started: user work \\(uid 62001\\), from local, pipes, "
                + "command: echo audited-through-su\n.*"), read(log));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void etcIssueIsTheContainersFile() throws Exception {
        Cmd.Result r = debian.su("cat /etc/issue");
        assertEquals(Files.readString(debian.root.resolve("etc/issue")), r.stdout());
        assertTrue(r.stdout().startsWith("Debian GNU/Linux"), r.stdout());
    }

    @Test
    void psShowsTheJaildInitAsPid1AndOnlyThisContainer() {
        Cmd.Result r = debian.su("ps -fj ax");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = Cmd.lines(r.stdout());
        assertTrue(lines.get(0).startsWith("UID"), r.stdout());
        String[] init = lines.get(1).trim().split("\\s+", 11);
        assertEquals("root", init[0], lines.get(1));
        assertEquals("1", init[1], lines.get(1));
        assertEquals("0", init[2], "PPID of the init: " + lines.get(1));
        assertTrue(init[10].startsWith("jaild: master [62001:62001]"), lines.get(1));
        for (String line : lines.subList(2, lines.size())) {
            assertTrue(line.startsWith("work "), "only the container's processes are visible: " + line);
        }
        assertTrue(lines.size() <= 5, "nothing of the host is visible:\n" + r.stdout());
    }

    @Test
    void homeIsTheContainersHome() {
        Cmd.Result r = debian.su("pwd; ls");
        assertEquals("/home/work\ndebian.txt\n", r.stdout());
        Cmd.Result b = busybox.su("pwd; ls");
        assertEquals("/home/work\nbusybox.txt\n", b.stdout());
    }

    @Test
    void theSecondContainerIsFullySeparate() {
        Cmd.Result id = busybox.su("id -u; cat /etc/issue");
        assertEquals("62002\nBusybox jail rootfs\n", id.stdout());
        debian.su("echo secret > /tmp/only-in-debian");
        assertNotEquals(0, busybox.su("test -e /tmp/only-in-debian").exit());
        assertEquals(0, debian.su("test -e /tmp/only-in-debian").exit());
        Cmd.Result ps = busybox.su("ps -o pid,user,args");
        assertFalse(ps.stdout().contains("62001"), ps.stdout());
        assertFalse(ps.stdout().contains("bash"), "the Debian container's processes are invisible: " + ps.stdout());
    }

    @Test
    void twoSessionsOfOneUserShareProcessesAndFiles() {
        assertEquals(0, debian.su("setsid sleep 300 </dev/null >/dev/null 2>&1 & echo started").exit());
        debian.su("echo from-one > /home/work/shared.txt");
        Cmd.Result other = debian.su("ps -o args= ax; cat /home/work/shared.txt");
        assertTrue(other.stdout().contains("sleep 300"), other.stdout());
        assertTrue(other.stdout().contains("from-one"), other.stdout());
        debian.su("pkill -x sleep");
    }

    @Test
    void noHostPathIsReachable() {
        Cmd.Result r = debian.su("test -e /run/jail/62001.sock && echo SOCKET; test -e " + Cmd.PROJECT + " && echo PROJECT; echo done");
        assertEquals("done\n", r.stdout(), "the socket and the project are host paths");
        assertTrue(Files.exists(Path.of("/run/jail/62001.sock")), "the socket is on the host");
        Cmd.Result mounts = debian.su("cat /proc/mounts");
        for (String mount : Cmd.lines(mounts.stdout())) {
            String target = mount.split(" ")[1];
            assertTrue(target.equals("/") || target.startsWith("/proc") || target.startsWith("/dev"),
                    "only the container's own mounts: " + mount);
        }
    }

    @Test
    void theDevIsMinimal() {
        Cmd.Result r = debian.su("ls /dev | tr '\\n' ' '; echo; ls /dev/pts | tr '\\n' ' '");
        assertEquals("fd full null ptmx pts random shm stderr stdin stdout tty urandom zero ", Cmd.lines(r.stdout()).get(0));
        assertEquals("ptmx ", Cmd.lines(r.stdout()).get(1), "a devpts of its own, with no host ptys");
    }
}

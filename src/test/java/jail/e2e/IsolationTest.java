package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A container is a wall, even for root inside: no host path is reachable (pivot_root, old root detached), the
 * mount table cannot be changed (no CAP_SYS_ADMIN), the init's /proc handles lead nowhere, a session holds
 * fds 0, 1 and 2 only, no host terminal ever enters the container, and nothing of jaild's environment reaches
 * a session.
 *
 * <p>Three containers: {@code root} is a uid 0 Debian container (started with --allow-root, entered by root
 * with {@code jail --uid 0}); {@code user} an ordinary busybox one whose jaild ran with a secret in its
 * environment; {@code tty} an ordinary Debian one (perl for the ioctl, procps for ps) entered through su at a
 * real terminal.
 */
@RequiresRoot
class IsolationTest {
    static final Path HOST_MARKER = Path.of("/var/tmp/jail-e2e-host-marker");
    static TestContainer root;
    static TestContainer user;
    static TestContainer tty;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(HOST_MARKER, "a file on the host, never to be seen from a container\n");
        root = TestContainer.rootContainer("debian", "jt-sec-root", 64003);
        script(root, "escape", ESCAPE);
        script(root, "by-handle", BY_HANDLE);
        script(root, "init-handles", INIT_HANDLES);
        script(root, "mount-syscall", MOUNT_SYSCALL);
        script(root, "sysctl-write", SYSCTL_WRITE);
        script(root, "packet-socket", PACKET_SOCKET);
        root.start("--allow-root");

        user = TestContainer.busybox("jt-sec-iso", 64001).start(Map.of("JAIL_TEST_SECRET", "hunter2"));

        tty = TestContainer.debian("jt-sec-tty", 64002);
        script(tty, "tiocsti", TIOCSTI);
        tty.start();
    }

    @AfterAll
    static void stop() throws IOException {
        for (TestContainer c : new TestContainer[]{root, user, tty}) {
            if (c != null) c.close();
        }
        Files.deleteIfExists(HOST_MARKER);
    }

    /** Installs a perl script as /usr/local/bin/NAME in the container's rootfs. */
    static void script(TestContainer c, String name, String text) throws IOException {
        Path p = c.root.resolve("usr/local/bin/" + name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // ---- root inside: no way out ----

    /**
     * The classic escape: chroot into a subdirectory while the cwd stays outside it, climb with "..", then
     * chroot("."). In a plain chroot this lands in the host's /; here the climb stops at the container's root.
     */
    static final String ESCAPE = """
            #!/usr/bin/perl
            use strict; use warnings;
            chdir "/root" or die "chdir: $!\\n";
            for (1..3) { mkdir "x"; chroot "x" or die "chroot x: $!\\n"; }   # the cwd stays outside the new root
            chdir ".." for 1..64;
            chroot "." or die "chroot .: $!\\n";
            chdir "/" or die "chdir /: $!\\n";
            opendir(my $d, "/") or die "opendir /: $!\\n";
            print "root: ", join(" ", sort grep { !/^\\.\\.?$/ } readdir $d), "\\n";
            print "$_: ", (-e $_ ? "present" : "absent"), "\\n" for @ARGV;
            """;

    @Test
    void theClassicChrootEscapeAsRootFindsOnlyTheContainer() throws IOException {
        Cmd.Result r = root.jail("escape " + HOST_MARKER + " /run/jail /run/jail/0.sock " + root.root + " " + Cmd.JAILD);
        assertEquals(0, r.exit(), r::toString);
        List<String> names;
        try (Stream<Path> s = Files.list(root.root)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of(
                "root: " + String.join(" ", names),
                HOST_MARKER + ": absent",
                "/run/jail: absent",
                "/run/jail/0.sock: absent",
                root.root + ": absent",
                Cmd.JAILD + ": absent"), Cmd.lines(r.stdout()),
                "after the escape, / is the container's root (the names of ROOTDIR on the host) and no host path exists");
        assertEquals("", r.stderr());
    }

    @Test
    void chrootDotAndChrootIntoTheInitsRootFindNoHostFile() {
        Cmd.Result r = root.jail("cd / && chroot . /bin/sh -c 'cd ../../../.. && chroot . /bin/ls / && ls "
                + HOST_MARKER + " /run/jail'");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.stdout().contains("usr\n") && !r.stdout().contains("jail-e2e"), r::toString);
        assertTrue(r.stderr().contains("ls: cannot access '" + HOST_MARKER + "': No such file or directory"), r::toString);
        assertTrue(r.stderr().contains("ls: cannot access '/run/jail': No such file or directory"), r::toString);

        Cmd.Result viaInit = root.jail("chroot /proc/1/root /bin/true");
        assertEquals(125, viaInit.exit(), viaInit::toString);
        assertEquals("chroot: cannot change root directory to '/proc/1/root': Permission denied\n", viaInit.stderr());
    }

    /**
     * The init's root, cwd and fds, which are the host's, cannot be used from a session, even by root. (Root may
     * list the numbers in /proc/1/fd, a directory owned by uid 0, but cannot follow or open any of them.)
     */
    static final String INIT_HANDLES = """
            #!/usr/bin/perl
            for my $p ("/proc/1/root/", "/proc/1/cwd/", "/proc/1/root/run/jail") {
                print "$p: ", (opendir(my $d, $p) ? "OPENED" : "$!"), "\\n";
            }
            for my $p ("/proc/1/root", "/proc/1/cwd") {
                my $t = readlink $p; print "$p: ", (defined $t ? "-> $t" : "$!"), "\\n";
            }
            my %seen;
            opendir(my $fds, "/proc/1/fd") or die "opendir /proc/1/fd: $!\\n";
            for my $n (grep { /^\\d+$/ } readdir $fds) {
                # ENOENT: that fd was closed meanwhile
                $! = 0; my $t = readlink "/proc/1/fd/$n";
                $seen{defined $t ? "-> $t" : "readlink: $!"}++ unless !defined $t && $!{ENOENT};
                $! = 0; my $ok = open(my $f, "<", "/proc/1/fd/$n");
                $seen{$ok ? "OPENED" : "open: $!"}++ unless !$ok && $!{ENOENT};
            }
            print "/proc/1/fd/N: ", join(", ", sort keys %seen), "\\n";
            print "/proc/1/environ: ", (open(my $e, "<", "/proc/1/environ") ? "OPENED" : "$!"), "\\n";
            """;

    @Test
    void theInitsProcHandlesAreNoWayOutEvenForRoot() {
        Cmd.Result r = root.jail("init-handles");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of(
                "/proc/1/root/: Permission denied",
                "/proc/1/cwd/: Permission denied",
                "/proc/1/root/run/jail: Permission denied",
                "/proc/1/root: Permission denied",
                "/proc/1/cwd: Permission denied",
                "/proc/1/fd/N: open: Permission denied, readlink: Permission denied",
                "/proc/1/environ: Permission denied"), Cmd.lines(r.stdout()));
    }

    static final String MOUNT_SYSCALL = """
            #!/usr/bin/perl
            my ($src, $dst, $type) = ("none", "/mnt", "tmpfs");
            $! = 0;
            print syscall(165, $src, $dst, $type, 0, 0) == 0 ? "mounted\\n" : "mount(2): $!\\n";
            """;

    @Test
    void mountsFailForRootInsideWithoutCapSysAdmin() throws IOException {
        String before = root.jail("cat /proc/self/mountinfo").stdout();

        Cmd.Result tmpfs = root.jail("mkdir -p /mnt/t && mount -t tmpfs none /mnt/t");
        assertEquals(32, tmpfs.exit(), tmpfs::toString);
        assertTrue(tmpfs.stderr().startsWith("mount: /mnt/t: permission denied."), tmpfs::toString);

        Cmd.Result bind = root.jail("mount --bind /tmp /mnt/t");
        assertEquals(32, bind.exit(), bind::toString);
        assertTrue(bind.stderr().startsWith("mount: /mnt/t: permission denied."), bind::toString);

        Cmd.Result raw = root.jail("mount-syscall");
        assertEquals("mount(2): Operation not permitted\n", raw.stdout(), raw::toString);

        Cmd.Result unshare = root.jail("unshare -m true");
        assertEquals(1, unshare.exit(), unshare::toString);
        assertEquals("unshare: unshare failed: Operation not permitted\n", unshare.stderr());

        Cmd.Result umount = root.jail("umount -l /proc");
        assertEquals(32, umount.exit(), umount::toString);

        Cmd.Result mknod = root.jail("mknod /tmp/disk b 254 0");
        assertEquals(1, mknod.exit(), mknod::toString);
        assertEquals("mknod: /tmp/disk: Operation not permitted\n", mknod.stderr());

        assertEquals(before, root.jail("cat /proc/self/mountinfo").stdout(), "the container's mount table is unchanged");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(root.root + "/mnt"),
                "nothing was mounted on the host either");
    }

    /**
     * open_by_handle_at(2) opens any inode of a filesystem from a handle, ignoring the caller's root: with
     * CAP_DAC_READ_SEARCH, root inside a container whose rootfs lives on a host filesystem opens that
     * filesystem's root directory (inode 2 on ext4) and walks the host ("shocker", the reason Docker drops the
     * capability). The handle of "/" tells the handle type; the handle for inode 2 is built from it.
     */
    static final String BY_HANDLE = """
            #!/usr/bin/perl
            use strict; use warnings;
            my $path = "/"; my $fh = pack("Ll", 128, 0) . ("\\0" x 128); my $mnt = pack("l", 0);
            syscall(303, -100, $path, $fh, $mnt, 0) == 0 or die "name_to_handle_at: $!\\n";
            my ($bytes, $type) = unpack("Ll", $fh);
            print "handle type $type, $bytes bytes\\n";
            my $hostRoot = pack("Ll", 8, $type) . pack("LL", 2, 0);
            open(my $m, "<", "/") or die "open /: $!\\n";
            $! = 0;
            my $fd = syscall(304, fileno($m), $hostRoot, 0x10000);
            if ($fd < 0) { print "open_by_handle_at: $!\\n"; exit 0; }
            open(my $d, "<&=", $fd) or die; chdir($d) or die "fchdir: $!\\n";
            opendir(my $dir, ".") or die; print "opened: ", join(" ", sort grep { !/^\\.\\.?$/ } readdir $dir), "\\n";
            print "$_: ", (-e ".$_" ? "present" : "absent"), "\\n" for @ARGV;
            """;

    @Test
    void openByHandleCannotReachTheHostFilesystem() {
        Cmd.Result r = root.jail("by-handle " + HOST_MARKER);
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.stdout().contains("opened: "), "the host's root directory was opened from inside: " + r);
        List<String> lines = Cmd.lines(r.stdout());
        assertTrue(lines.get(0).startsWith("handle type "), r::toString);
        assertEquals(List.of("open_by_handle_at: Operation not permitted"), lines.subList(1, lines.size()),
                "a handle must not open an inode outside the container's root: " + r);
    }

    /**
     * /proc/sys is the host kernel's: kernel.core_pattern set to "|/proc/%P/root/prog" makes the host kernel run
     * a container file as host root on the next crash. Runtimes mount /proc/sys read-only for this reason.
     * Only an open for writing is tried (nothing is written).
     */
    static final String SYSCTL_WRITE = """
            #!/usr/bin/perl
            for my $p (@ARGV) { print "$p: ", (sysopen(my $h, $p, 1) ? "writable" : "$!"), "\\n"; }
            """;

    @Test
    void rootInsideCannotWriteTheHostKernelsSettings() {
        Cmd.Result r = root.jail("sysctl-write /proc/sys/kernel/core_pattern /proc/sys/vm/swappiness");
        assertEquals(0, r.exit(), r::toString);
        for (String line : Cmd.lines(r.stdout())) {
            assertFalse(line.endsWith(": writable"), "a host-wide kernel setting is writable from inside: " + line);
        }
    }

    /** AF_PACKET sees every frame of the host's interfaces: the container shares the host's network stack. */
    static final String PACKET_SOCKET = """
            #!/usr/bin/perl
            print socket(my $s, 17, 3, 0x300) ? "AF_PACKET: opened\\n" : "AF_PACKET: $!\\n";   # PF_PACKET, SOCK_RAW, ETH_P_ALL
            """;

    @Test
    void rootInsideCannotSniffTheHostsNetwork() {
        Cmd.Result r = root.jail("packet-socket");
        assertEquals("AF_PACKET: Operation not permitted\n", r.stdout(), r::toString);
    }

    /**
     * ROOTDIR is a directory of the host. A setuid-root file made inside by root must not be a way for host
     * users to become root on the host (ROOTDIR reachable by them, on a mount without nosuid).
     */
    @Test
    void setuidFilesMadeByRootInsideGiveHostUsersNothing() {
        Cmd.Result made = root.jail("cp /usr/bin/id /tmp/planted-id && chmod 4755 /tmp/planted-id");
        assertEquals(0, made.exit(), made::toString);
        Cmd.Result host = Cmd.run("runuser", "-u", "nobody", "--", root.root.resolve("tmp/planted-id").toString(), "-u");
        assertNotEquals("0\n", host.stdout(), "a host user became root through a file planted in ROOTDIR: " + host);
    }

    @Test
    void rootsBoundingSetLacksTheDangerousCapabilities() {
        Map<String, String> status = PrivilegeTest.status(root.jail("cat /proc/self/status"));
        long expected = PrivilegeTest.initBounding(root) & ~PrivilegeTest.DANGEROUS_MASK;
        assertEquals(String.format("%016x", expected), status.get("CapBnd"), "the documented caps are gone: " + status);
        for (int cap : new int[]{16, 17, 19, 21, 22, 27}) {
            assertEquals(0, Long.parseLong(status.get("CapBnd"), 16) & (1L << cap), "cap " + cap + " in " + status);
        }
        assertEquals(status.get("CapBnd"), status.get("CapEff"), "root has what the bounding set leaves");
        assertEquals(status.get("CapBnd"), status.get("CapPrm"));
        assertEquals("0000000000000000", status.get("CapAmb"));
        assertEquals("0\t0\t0\t0", status.get("Uid"));
        assertEquals("0\t0\t0\t0", status.get("Gid"));
        assertEquals("1", status.get("NoNewPrivs"));
    }

    @Test
    void rootsSessionHasFdsZeroOneTwoOnly() {
        Cmd.Result r = root.jail("ls /proc/self/fd");
        assertEquals("0\n1\n2\n3\n", r.stdout(), "0-2 and the directory ls itself opened: " + r);
    }

    // ---- an ordinary session: fds, /proc of the init, environment ----

    @Test
    void aSessionHasFdsZeroOneTwoOnlyAndNothingOfTheInit() throws IOException {
        assertEquals("0\n1\n2\n3\n", user.jail("ls /proc/self/fd").stdout(), "0-2 and the directory ls itself opened");

        Cmd.Result r = user.jail("ls -l /proc/$$/fd; readlink /proc/$$/cwd; readlink /proc/$$/root");
        assertEquals(0, r.exit(), r::toString);
        Map<Integer, String> fds = new TreeMap<>();
        Matcher m = Pattern.compile("(\\d+) -> (\\S+)").matcher(r.stdout());
        while (m.find()) fds.put(Integer.parseInt(m.group(1)), m.group(2));
        assertEquals(List.of(0, 1, 2), List.copyOf(fds.keySet()), "the shell's fds: " + r.stdout());
        assertTrue(fds.values().stream().allMatch(t -> t.matches("pipe:\\[\\d+]")), "three pipes: " + fds);
        assertEquals(3, fds.values().stream().distinct().count(), "stdin, stdout and stderr are separate pipes: " + fds);
        assertTrue(r.stdout().endsWith("/home/work\n/\n"), "cwd is the home, root the container's: " + r.stdout());

        // What the init holds besides session pipes (its log, jars, socket, /dev/null...) is not among them.
        List<String> initTargets = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + user.initPid() + "/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    initTargets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        for (String t : initTargets) {
            if (!t.startsWith("pipe:")) assertFalse(fds.containsValue(t), "the init's " + t + " leaked into the session");
        }
    }

    @Test
    void anOrdinaryUserCannotUseTheInitsProcHandles() {
        Cmd.Result r = user.jail("ls /proc/1/root/; ls /proc/1/cwd/; ls /proc/1/fd/; cat /proc/1/environ; readlink /proc/1/root");
        assertEquals(List.of(
                "ls: /proc/1/root/: Permission denied",
                "ls: /proc/1/cwd/: Permission denied",
                "ls: can't open '/proc/1/fd/': Permission denied",
                "cat: can't open '/proc/1/environ': Permission denied"), Cmd.lines(r.stderr()).subList(0, 4), r::toString);
        assertEquals("", r.stdout(), r::toString);
        assertEquals(1, r.exit(), r::toString);
    }

    @Test
    void nothingOfJaildsEnvironmentReachesASession() throws IOException {
        // jaild ran with JAIL_TEST_SECRET=hunter2; the client passes only locale, TZ and SSH_* names.
        Cmd.Result r = Cmd.run("env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_TIME=C.UTF-8", "TZ=UTC",
                "JAIL_CLIENT_SECRET=swordfish", "SSH_TTY=/dev/pts/99", "HOME=/root",
                Cmd.JAIL, "--uid", "64001", "-c", "tr '\\0' '\\n' < /proc/$$/environ | sort");
        assertEquals(0, r.exit(), r::toString);
        // The client's locale names come through, fitted to what this busybox root has (no locale at all: C).
        assertEquals(List.of(
                "HOME=/home/work",
                "LANG=C",
                "LC_TIME=C",
                "LOGNAME=work",
                "PATH=/usr/local/bin:/usr/bin:/bin",
                "SHELL=/bin/sh",
                "TZ=UTC",
                "USER=work"), Cmd.lines(r.stdout()), "exactly the login environment");

        Cmd.Result env = user.su("env");
        assertFalse(env.stdout().contains("hunter2") || env.stdout().contains("JAIL_TEST_SECRET"), env::toString);
        String initEnv = Files.readString(Path.of("/proc/" + user.initPid() + "/environ"));
        assertFalse(initEnv.contains("hunter2"), "the init itself got a fresh environment: " + initEnv);
    }

    // ---- terminals ----

    static final String TIOCSTI = """
            #!/usr/bin/perl
            my $c = "x"; ioctl(STDIN, 0x5412, $c) ? print "injected\\n" : print "refused: $!\\n";
            open(my $t, "+<", "/dev/tty") ? print "opened /dev/tty\\n" : print "no tty: $!\\n";
            """;

    @Test
    void tiocstiFromAPipesSessionHasNoTerminalToTypeInto() {
        Cmd.Result r = tty.su("tiocsti");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("refused: Inappropriate ioctl for device\nno tty: No such device or address\n", r.stdout(),
                "stdin is a pipe and the session has no controlling terminal");
    }

    @Test
    void aTerminalSessionRunsOnItsOwnPtyOfTheContainersDevpts() throws IOException {
        long hostDevpts = (Long) Files.getAttribute(Path.of("/dev/pts/ptmx"), "unix:dev");
        try (TerminalSession t = TerminalSession.start(24, 80, "su", "-", "jt-sec-tty")) {
            t.expect("work@[^:]+:~\\$ ");
            t.line("echo \"R:$(readlink /proc/$$/fd/0):$(readlink /proc/$$/fd/1):$(readlink /proc/$$/fd/2)"
                    + ":$(tty):$(ps -o tty= -p $$):$(stat -L -c %d /proc/$$/fd/0):$(stat -c %d /dev/pts/ptmx):E\"");
            String line = t.expect("R:(/dev/pts/\\d+:[^\\r\\n]*):E\\r\\n");
            String[] f = line.split(":");
            String pts = f[0];
            assertEquals(List.of(pts, pts, pts, pts, pts.substring("/dev/".length())),
                    List.of(f[0], f[1], f[2], f[3], f[4].trim()),
                    "fds 0-2 are the pty, which is the controlling terminal: " + line);
            assertEquals(f[6], f[5], "the pty belongs to the container's own devpts instance: " + line);
            assertNotEquals(String.valueOf(hostDevpts), f[5], "and not to the host's: " + line);

            t.line("echo \"F:$(ls /proc/self/fd | tr '\\n' ' ')\"");
            assertEquals("0 1 2 3 ", t.expect("F:([0-9 ]+)\\r\\n"), "ls sees 0-2 and its own directory fd");

            t.line("tr '\\0' ' ' < /proc/$$/environ; echo :END");
            String env = t.expect("(HOME=[^\\r\\n]*):END");
            assertEquals(List.of("HOME=/home/work", "LOGNAME=work", "PATH=/usr/local/bin:/usr/bin:/bin",
                    "SHELL=/bin/bash", "TERM=xterm", "USER=work"), Stream.of(env.trim().split(" ")).sorted().toList(),
                    "with a tty: the login environment plus TERM");

            // The init holds no host terminal: none of its fds is on the host's devpts, /dev/tty or /dev/console.
            for (Path fd : initFds(tty)) {
                try {
                    long dev = (Long) Files.getAttribute(fd, "unix:dev");
                    long rdev = (Long) Files.getAttribute(fd, "unix:rdev");
                    assertNotEquals(hostDevpts, dev, "the init holds a host pty: " + fd);
                    assertFalse(rdev == ((5L << 8) | 0) || rdev == ((5L << 8) | 1), "the init holds /dev/tty or /dev/console: " + fd);
                } catch (IOException e) {
                    // sockets and pipes have no path to stat through; closed fds are gone
                }
            }
            t.line("exit");
            assertEquals(jail.namespace.ExitStatus.exited(0), t.waitExit(), t.screen());
        }
    }

    static List<Path> initFds(TestContainer c) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + c.initPid() + "/fd"))) {
            return s.toList();
        }
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9, item 9: what sshd itself does for a jail user, on the host, outside the container. Two private
 * sshds share one container user: "open" is configured as a permissive host would be (sshd's defaults, plus
 * X11 and tunnels), "closed" is the same plus the drop-in packaging/sshd/jail.conf. Each attack is shown to
 * work through the open one (a host unix socket, host ports, a socket file planted on the host) and to fail
 * through the closed one; {@code jaild check} reports the open settings and is clean with the drop-in.
 */
@RequiresRoot
class SshdSideTest {
    static final int UID = 68020;
    static final String USER = "jsh-fwd";
    static final int SH_UID = 68021;
    static final String SH_USER = "jsh-fwd-sh";
    static final Path DROP_IN = Cmd.PROJECT.resolve("packaging/sshd/jail.conf");
    static final Path HOST = TestContainer.WORK.resolve("jsh-fwd-host");
    static final Path PLANT = HOST.resolve("writable");
    static final String[] PERMISSIVE = {"X11Forwarding yes", "PermitTunnel yes"};

    static TestContainer box;
    static PrivateSshd open;
    static PrivateSshd closed;
    static boolean madeGroup;
    static ServerSocket hostTcp;
    static ServerSocketChannel hostUnix;
    static final List<Process> forwards = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        madeGroup = Cmd.run("getent", "group", "jail").exit() != 0;
        if (madeGroup) Cmd.ok("groupadd", "jail");
        box = TestContainer.busybox(USER, UID).start();
        Cmd.ok("usermod", "-aG", "jail", USER);
        Cmd.run("userdel", SH_USER);
        Cmd.ok("useradd", "-M", "-N", "-u", String.valueOf(SH_UID), "-s", "/bin/sh", "-G", "jail", "-K", "UID_MAX=70000", SH_USER);

        Cmd.run("rm", "-rf", HOST.toString());
        Files.createDirectories(PLANT);
        Files.setPosixFilePermissions(HOST, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cmd.ok("chmod", "1777", PLANT.toString());
        hostTcp = new ServerSocket(0, 50, InetAddress.getByName(PrivateSshd.HOST));
        serve(() -> hostTcp.accept().getOutputStream(), "host-tcp\n");
        hostUnix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        hostUnix.bind(UnixDomainSocketAddress.of(HOST.resolve("host.sock")));
        Files.setPosixFilePermissions(HOST.resolve("host.sock"), PosixFilePermissions.fromString("rw-rw-rw-"));
        serve(() -> java.nio.channels.Channels.newOutputStream(hostUnix.accept()), "host-unix\n");

        open = PrivateSshd.start(Map.of(), PERMISSIVE);
        List<String> withDropIn = new ArrayList<>(Arrays.asList(PERMISSIVE));
        withDropIn.add("Include " + DROP_IN);
        closed = PrivateSshd.start(Map.of(), withDropIn.toArray(String[]::new));
    }

    @AfterAll
    static void tearDown() throws IOException {
        forwards.forEach(Process::destroyForcibly);
        if (open != null) open.close();
        if (closed != null) closed.close();
        if (hostTcp != null) hostTcp.close();
        if (hostUnix != null) hostUnix.close();
        Cmd.run("userdel", SH_USER);
        if (box != null) box.close();
        if (madeGroup) Cmd.run("groupdel", "jail");
        Cmd.run("rm", "-rf", HOST.toString());
    }

    interface Accept {
        OutputStream next() throws IOException;
    }

    /** A host service: every connection gets one line, then is closed. */
    static void serve(Accept accept, String line) {
        Thread t = new Thread(() -> {
            while (true) {
                try (OutputStream out = accept.next()) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    if (hostTcp.isClosed()) return; // the class is done
                }
            }
        }, "host-service");
        t.setDaemon(true);
        t.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(PrivateSshd.HOST))) {
            return s.getLocalPort();
        }
    }

    /** {@code ssh -N} with forwarding options, in the background, ending if a forwarding is refused. */
    static Process forward(PrivateSshd sshd, String... options) {
        List<String> args = new ArrayList<>(List.of("-N", "-o", "ExitOnForwardFailure=yes"));
        args.addAll(Arrays.asList(options));
        args.add(PrivateSshd.at(USER));
        Process p = Cmd.start(Map.of(), sshd.ssh(args.toArray(String[]::new)));
        forwards.add(p);
        return p;
    }

    /** Connects (retrying while the forwarding's listener is not up yet) and reads what comes until EOF. */
    static String readFrom(int port) throws Exception {
        return Await.attempt(Duration.ofSeconds(30), java.net.ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(PrivateSshd.HOST, port), 5000);
                s.setSoTimeout(10_000);
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return "(no answer)";
            }
        }, () -> "nothing listens on port " + port);
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    // ---- ssh -L: host unix sockets and ports ----

    static String throughLocalForward(PrivateSshd sshd, String target) throws Exception {
        int port = freePort();
        Process p = forward(sshd, "-L", PrivateSshd.HOST + ":" + port + ":" + target);
        try {
            return readFrom(port);
        } finally {
            stop(p);
        }
    }

    @Test
    void localForwardingToAHostUnixSocketIsClosed() throws Exception {
        String socket = HOST.resolve("host.sock").toString();
        assertEquals("host-unix\n", throughLocalForward(open, socket), "the attack: a host socket, outside the container");
        assertEquals("", throughLocalForward(closed, socket), "with the drop-in sshd refuses the channel");
    }

    @Test
    void localForwardingToAHostPortIsClosed() throws Exception {
        String target = PrivateSshd.HOST + ":" + hostTcp.getLocalPort();
        assertEquals("host-tcp\n", throughLocalForward(open, target));
        assertEquals("", throughLocalForward(closed, target));
        Cmd.Result w = Cmd.run(closed.ssh("-W", target, PrivateSshd.at(USER)));
        assertEquals(255, w.exit(), w::toString);
        assertTrue(w.stderr().contains("stdio forwarding failed"), w::toString);
    }

    // ---- ssh -D: a SOCKS proxy on the host ----

    /** A SOCKS4 CONNECT to the host service through {@code ssh -D}: what the service sent, "" if nothing. */
    static String throughSocks(PrivateSshd sshd) throws Exception {
        int port = freePort();
        Process p = forward(sshd, "-D", PrivateSshd.HOST + ":" + port);
        try {
            return Await.attempt(Duration.ofSeconds(30), java.net.ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(PrivateSshd.HOST, port), 5000);
                    s.setSoTimeout(10_000);
                    int target = hostTcp.getLocalPort();
                    s.getOutputStream().write(new byte[] {4, 1, (byte) (target >> 8), (byte) target, 127, 0, 0, 1, 0});
                    InputStream in = s.getInputStream();
                    byte[] reply = in.readNBytes(8);
                    if (reply.length < 8 || reply[1] != 0x5a) return "";
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }, () -> "ssh -D does not listen");
        } finally {
            stop(p);
        }
    }

    @Test
    void dynamicForwardingIsClosed() throws Exception {
        assertEquals("host-tcp\n", throughSocks(open));
        assertEquals("", throughSocks(closed));
    }

    // ---- ssh -R: listeners on the host, socket files on the host's filesystem ----

    @Test
    void remoteForwardingOfAPortIsClosed() throws Exception {
        int port = freePort();
        Process p = forward(open, "-R", PrivateSshd.HOST + ":" + port + ":" + PrivateSshd.HOST + ":" + hostTcp.getLocalPort());
        try {
            assertEquals("host-tcp\n", readFrom(port), "sshd listens on the host for the user");
        } finally {
            stop(p);
        }
        Process refused = forward(closed, "-R", PrivateSshd.HOST + ":" + freePort() + ":" + PrivateSshd.HOST + ":" + hostTcp.getLocalPort());
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "ssh -R should end: the forwarding is refused");
        assertEquals(255, refused.exitValue());
    }

    @Test
    void remoteForwardingCannotPlantASocketFileOnTheHost() throws Exception {
        Path planted = PLANT.resolve("planted.sock");
        Process p = forward(open, "-R", planted + ":" + PrivateSshd.HOST + ":" + hostTcp.getLocalPort());
        try {
            Await.until(Duration.ofSeconds(30), () -> Files.exists(planted), () -> "the attack: sshd creates " + planted);
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(planted))) {
                ByteBuffer b = ByteBuffer.allocate(64);
                c.read(b);
                assertEquals("host-tcp\n", new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            }
        } finally {
            stop(p);
            Files.deleteIfExists(planted);
        }
        Process refused = forward(closed, "-R", planted + ":" + PrivateSshd.HOST + ":" + hostTcp.getLocalPort());
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "ssh -R should end: the forwarding is refused");
        assertEquals(255, refused.exitValue());
        assertFalse(Files.exists(planted));
    }

    // ---- X11 and tunnels: the requests are refused ----

    static Cmd.Result verbose(PrivateSshd sshd, Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("-v"));
        all.addAll(Arrays.asList(args));
        all.add(PrivateSshd.at(USER));
        all.add("echo ok");
        return Cmd.run(null, env, sshd.ssh(all.toArray(String[]::new)));
    }

    @Test
    void x11ForwardingIsRefused() {
        Map<String, String> display = Map.of("DISPLAY", "127.0.0.1:0");
        String refusal = "X11 forwarding request failed";
        Cmd.Result granted = verbose(open, display, "-X");
        assertEquals("ok\n", granted.stdout(), granted::toString);
        assertFalse(granted.stderr().contains(refusal), "the attack: sshd opens an X11 listener on the host\n" + granted);
        Cmd.Result refused = verbose(closed, display, "-X");
        assertEquals("ok\n", refused.stdout(), refused::toString);
        assertTrue(refused.stderr().contains(refusal), refused::toString);
    }

    /** The client (root here) opens a tun device of its own for the time of the request: transient, unconfigured. */
    @Test
    void tunnelForwardingIsRefused() {
        String refusal = "Server has rejected tunnel device forwarding";
        Cmd.Result tried = verbose(open, Map.of(), "-w", "any", "-o", "Tunnel=point-to-point");
        assertFalse(tried.stderr().contains(refusal), "the open sshd tries to make the device\n" + tried);
        Cmd.Result refused = verbose(closed, Map.of(), "-w", "any", "-o", "Tunnel=point-to-point");
        assertTrue(refused.stderr().contains(refusal), refused::toString);
    }

    // ---- the session itself still works ----

    @Test
    void theDropInLeavesTheWaysInAlone() {
        Cmd.Result r = Cmd.run(closed.ssh(PrivateSshd.at(USER), "id -u"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(UID + "\n", r.stdout());
        Cmd.Result agent = Cmd.run(closed.ssh("-A", PrivateSshd.at(USER), "echo ok"));
        assertEquals("ok\n", agent.stdout(), "agent forwarding stays allowed: " + agent);
        assertEquals("", agent.stderr(), agent::toString);
    }

    // ---- jaild check ----

    static Cmd.Result check(String... args) {
        List<String> argv = new ArrayList<>(List.of(Cmd.JAILD, "check"));
        argv.addAll(Arrays.asList(args));
        return Cmd.run(argv.toArray(String[]::new));
    }

    @Test
    void checkReportsEveryOpenSettingAndIsCleanWithTheDropIn() {
        Cmd.Result r = check("-f", open.config().toString(), USER);
        assertEquals(1, r.exit(), r::toString);
        List<String> lines = Cmd.lines(r.stdout());
        for (String setting : List.of("allowtcpforwarding yes", "allowstreamlocalforwarding yes", "permitopen any",
                "permitlisten any", "x11forwarding yes", "permittunnel yes", "permituserrc yes")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(USER + ": " + setting + ": ")), setting + " in:\n" + r);
        }
        assertEquals("", r.stderr());

        Cmd.Result clean = check("-f", closed.config().toString(), USER);
        assertEquals(0, clean.exit(), clean::toString);
        assertEquals("", clean.stdout() + clean.stderr());
    }

    @Test
    void checkFindsTheUsersOfTheConfiguredContainersFromTheirUids() throws IOException {
        Path yaml = HOST.resolve("jail.yaml");
        Files.writeString(yaml, "jail:\n  containers:\n    fwd:\n      uid: " + UID + "\n      root: " + box.root + "\n");
        Cmd.Result r = check("--config", yaml.toString(), "-f", open.config().toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.stdout().startsWith(USER + ": "), r::toString);
        Cmd.Result clean = check("--config", yaml.toString(), "-f", closed.config().toString());
        assertEquals(0, clean.exit(), clean::toString);
    }

    @Test
    void checkFlagsAUserWhoseLoginShellIsNotJails() {
        Cmd.Result r = check("-f", closed.config().toString(), SH_USER);
        assertEquals(1, r.exit(), r::toString);
        assertEquals(List.of(SH_USER + ": login shell /bin/sh is not jail's launcher " + Cmd.JAIL
                + ": ssh and su give a shell on the host"), Cmd.lines(r.stdout()));
    }

    @Test
    void checkFlagsSftpServedBySshdItself() throws IOException {
        Path config = HOST.resolve("sshd_config-internal-sftp");
        Files.writeString(config, Files.readString(closed.config())
                .replace("Subsystem sftp /usr/lib/openssh/sftp-server", "Subsystem sftp internal-sftp"));
        Cmd.Result r = check("-f", config.toString(), USER);
        assertEquals(1, r.exit(), r::toString);
        assertEquals(1, Cmd.lines(r.stdout()).size(), r::toString);
        assertTrue(r.stdout().startsWith(USER + ": subsystem sftp internal-sftp: "), r::toString);
    }

    @Test
    void checkOfAnUnknownUserIsOneLine() {
        Cmd.Result r = check("-f", closed.config().toString(), "jsh-nobody");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jaild: jsh-nobody: no such host user\n", r.stderr());
    }
}

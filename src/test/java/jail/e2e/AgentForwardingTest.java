package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, ssh agent forwarding into the container: {@code ssh -A} (or a local agent) gives the session an
 * SSH_AUTH_SOCK inside that reaches the client's agent over the session's own connection, and a probe that
 * speaks the agent protocol (src/test/c/agent-probe.c, REQUEST_IDENTITIES) lists the test agent's key there.
 * The walls: another host user and another container's user cannot reach the socket, nor another uid inside
 * a uid-0 container; it is gone when the session ends; a link or directory the user plants in /tmp, or its own
 * agent directory swapped for a link, redirects nothing; no SSH_AUTH_SOCK without an agent or with
 * {@code --agent-forwarding false}.
 */
@RequiresRoot
class AgentForwardingTest {
    static final String USER = "jag-fwd";
    static final int UID = 60401;
    static final String OFF_USER = "jag-nofwd";
    static final int OFF_UID = 60402;
    static final String INTRUDER = "jag-intruder";
    static final int INTRUDER_UID = 60499;
    static final String KEY_COMMENT = "jag-agent-key";
    static final String SOCKET = "^/tmp/ssh-[A-Za-z0-9]{10}/agent\\.\\d+$";

    static TestContainer box;
    static TestContainer off;
    static PrivateSshd sshd;
    static Path agentDir;
    static Process agent;

    @BeforeAll
    static void start() throws Exception {
        box = withProbe(TestContainer.busybox(USER, UID)).start();
        off = withProbe(TestContainer.busybox(OFF_USER, OFF_UID)).start("--agent-forwarding", "false");
        Cmd.run("userdel", INTRUDER);
        Cmd.ok("useradd", "-M", "-N", "-d", "/nonexistent", "-u", String.valueOf(INTRUDER_UID), "-s", "/bin/sh",
                "-K", "UID_MAX=70000", INTRUDER);
        sshd = PrivateSshd.start(Map.of());
        agentDir = Files.createTempDirectory("jag-agent-");
        Path sock = agentDir.resolve("agent.sock");
        agent = Cmd.start(Map.of(), "ssh-agent", "-D", "-a", sock.toString());
        Await.until(Duration.ofSeconds(10), () -> Files.exists(sock), () -> "ssh-agent did not start");
        Cmd.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", KEY_COMMENT, "-f", agentDir.resolve("key").toString());
        Cmd.Result added = Cmd.run(null, agentEnv(), "ssh-add", "-q", agentDir.resolve("key").toString());
        assertEquals(0, added.exit(), added::toString);
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
        if (agent != null) Cmd.end(agent);
        for (TestContainer c : new TestContainer[]{box, off}) if (c != null) c.close();
        Cmd.run("userdel", INTRUDER);
        if (agentDir != null) Cmd.run("rm", "-rf", agentDir.toString());
    }

    /** The probe in /usr/local/bin, which the intruder may run too (0755 all the way). */
    static TestContainer withProbe(TestContainer c) throws IOException {
        Path probe = c.root.resolve("usr/local/bin/agent-probe");
        Files.createDirectories(probe.getParent());
        Cmd.ok("gcc", "-static", "-O2", "-o", probe.toString(), Cmd.PROJECT.resolve("src/test/c/agent-probe.c").toString());
        return c;
    }

    static Map<String, String> agentEnv() {
        return Map.of("SSH_AUTH_SOCK", agentDir.resolve("agent.sock").toString());
    }

    /** {@code ssh [-A] USER@127.0.0.1 command} with the test's agent in the ssh client's environment. */
    static Cmd.Result ssh(String user, boolean forward, String command) {
        List<String> args = new ArrayList<>();
        if (forward) args.add("-A");
        args.add(PrivateSshd.at(user));
        args.add(command);
        return Cmd.run(null, agentEnv(), sshd.ssh(args.toArray(String[]::new)));
    }

    /** The host's view of a path inside a container. */
    static Path onHost(TestContainer c, String inside) {
        return c.root.resolve(inside.substring(1));
    }

    // ---- it works ----

    @Test
    void sshDashALetsTheSessionListTheClientsKeys() {
        Cmd.Result r = ssh(USER, true, "echo \"$SSH_AUTH_SOCK\"; agent-probe");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = Cmd.lines(r.stdout());
        assertTrue(lines.get(0).matches(SOCKET), () -> "SSH_AUTH_SOCK inside: " + r);
        assertTrue(lines.contains("key " + KEY_COMMENT), r::toString);
        assertTrue(lines.contains("keys 1"), r::toString);
    }

    @Test
    void rootEnteringAnotherUsersContainerKeepsItsAgent() {
        // The session is the user's: a socket with root's agent behind it would be the user's too.
        Cmd.Result r = Cmd.run(null, agentEnv(), Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "echo \"[$SSH_AUTH_SOCK]\"");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("[]\n", r.stdout(), r::toString);
    }

    @Test
    void withoutDashANoAgentSocket() {
        Cmd.Result r = ssh(USER, false, "echo \"[$SSH_AUTH_SOCK]\"");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("[]\n", r.stdout(), r::toString);
    }

    @Test
    void agentForwardingFalseGivesNone() {
        Cmd.Result r = ssh(OFF_USER, true, "echo \"[$SSH_AUTH_SOCK]\"; ls -d /tmp/ssh-* 2>/dev/null | wc -l");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("[]", "0"), Cmd.lines(r.stdout()).stream().map(String::trim).toList(), r::toString);
    }

    @Test
    void anAgentThatNeverReadsStallsOnlyItsChannel() throws Exception {
        // A black-hole agent: it takes connections and never reads them. Inside, a program writes to the agent
        // without end; the session's own output must still arrive, and the session end as usual.
        // The user's own client (su keeps SSH_AUTH_SOCK; root's jail --uid would not forward) and an agent it can
        // reach: an ssh -A in between would itself wait for its stuck agent channel before it ends.
        Path holeDir = Files.createTempDirectory("jag-hole-");
        Files.setPosixFilePermissions(holeDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path hole = holeDir.resolve("black-hole.sock");
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        List<java.nio.channels.SocketChannel> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(hole));
            Files.setPosixFilePermissions(hole, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        var c = server.accept();
                        held.add(c);
                        accepted.incrementAndGet();
                        // ssh asks for keys first: it gets none (so it uses its -i key); anything else is never read.
                        java.nio.ByteBuffer first = java.nio.ByteBuffer.allocate(5);
                        while (first.hasRemaining() && c.read(first) > 0) { }
                        if (java.util.Arrays.equals(first.array(), new byte[]{0, 0, 0, 1, 11})) {
                            c.write(java.nio.ByteBuffer.wrap(new byte[]{0, 0, 0, 5, 12, 0, 0, 0, 0}));
                        }
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            Cmd.Result r = Cmd.run(null, Map.of("SSH_AUTH_SOCK", hole.toString()), "su", USER, "-c",
                    "agent-probe --flood & sleep 3; echo alive; kill $!");
            assertEquals(0, r.exit(), r::toString);
            assertEquals("alive\n", r.stdout(), r::toString);
            long flooded = 0;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
            for (var c : held) {
                c.configureBlocking(false);
                int n;
                while ((n = c.read(buf.clear())) > 0) flooded += n;
            }
            assertTrue(flooded > 64 * 1024, "more than a channel window (64 KiB): the flood reached the black hole: " + flooded + " bytes");
            acceptor.interrupt();
        } finally {
            for (var c : held) c.close();
            Cmd.run("rm", "-rf", holeDir.toString());
        }
    }

    // ---- the walls ----

    @Test
    void theSocketAndItsDirectoryAreTheUsersAloneAndGoneWithTheSession() throws Exception {
        Cmd.Result r = ssh(USER, true, "echo \"$SSH_AUTH_SOCK\"");
        assertEquals(0, r.exit(), r::toString);
        Path dir = onHost(box, r.stdout().trim()).getParent();
        Await.until(Duration.ofSeconds(5), () -> !Files.exists(dir, LinkOption.NOFOLLOW_LINKS),
                () -> dir + " is left after the session ended");
        try (LiveSession live = LiveSession.open()) {
            Path sock = onHost(box, live.socket);
            Path d = sock.getParent();
            assertEquals(UID, Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(040700, Files.getAttribute(d, "unix:mode", LinkOption.NOFOLLOW_LINKS));
            assertEquals(UID, Files.getAttribute(sock, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(0140600, Files.getAttribute(sock, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void anotherHostUserCannotReachTheAgent() throws Exception {
        try (LiveSession live = LiveSession.open()) {
            Path sock = onHost(box, live.socket);
            // The container's /tmp is a host directory; the intruder can get that far...
            assertEquals(0, Cmd.run("su", INTRUDER, "-c", "test -d " + sock.getParent().getParent()).exit(),
                    "the intruder must be able to reach the container's /tmp for this test to mean anything");
            // ...and no further.
            Cmd.Result r = Cmd.run("su", INTRUDER, "-c", onHost(box, "/usr/local/bin/agent-probe") + " " + sock);
            assertEquals(2, r.exit(), r::toString);
            assertEquals("agent-probe: connect: Permission denied\n", r.stderr(), r::toString);
            assertFalse(r.stdout().contains(KEY_COMMENT), r::toString);
        }
    }

    @Test
    void anotherContainersUserCannotReachTheAgent() throws Exception {
        try (LiveSession live = LiveSession.open()) {
            Cmd.Result r = off.su("agent-probe " + live.socket);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.stderr().startsWith("agent-probe: connect: "), r::toString);
            assertFalse(r.stdout().contains(KEY_COMMENT), r::toString);
        }
    }

    @Test
    void anotherUidInsideARootContainerCannotReachTheAgent() throws Exception {
        TestContainer root = withProbe(TestContainer.rootContainer("busybox", "jag-root", 60403)).start("--allow-root");
        try {
            Cmd.Result r = Cmd.run(null, agentEnv(), Cmd.JAIL, "--uid", "0", "-c",
                    "agent-probe --as 60498; echo \"as-root: $(agent-probe)\"");
            assertTrue(r.stderr().contains("agent-probe: connect: Permission denied"), r::toString);
            assertFalse(Cmd.lines(r.stdout()).stream().anyMatch(l -> l.equals("key " + KEY_COMMENT)), r::toString);
            // root's own agent, forwarded into root's own (uid 0) container by a local login; root inside may use
            // any agent socket, as under sshd
            assertTrue(r.stdout().contains("as-root: key " + KEY_COMMENT), r::toString);
        } finally {
            root.close();
        }
    }

    @Test
    void plantedLinksAndASwappedDirectoryRedirectNothing() throws Exception {
        // A root-owned directory of the container's that the user must never get or empty.
        Path guarded = box.root.resolve("guarded");
        Files.createDirectories(guarded);
        for (int i = 1; i <= 64; i++) Files.writeString(guarded.resolve("agent." + i), "keep");
        Files.writeString(guarded.resolve("keep"), "keep");
        Cmd.Result first = ssh(USER, true, "echo \"$SSH_AUTH_SOCK\"");
        String usedDir = Path.of(first.stdout().trim()).getParent().getFileName().toString();
        // The user plants, where the next directories could be made: a link at the name it saw last, and
        // links and directories at many more names; then, in its session, swaps its own agent directory for a
        // link to the guarded directory before the session ends.
        StringBuilder plant = new StringBuilder("cd /tmp && ln -s /guarded " + usedDir + " && ln -s /etc ssh-etc");
        for (int i = 0; i < 50; i++) plant.append(" && ln -s /guarded ssh-l").append(i).append(" && mkdir ssh-d").append(i);
        assertEquals(0, box.su(plant.toString()).exit());
        Cmd.Result r = ssh(USER, true,
                "d=$(dirname \"$SSH_AUTH_SOCK\"); echo \"$SSH_AUTH_SOCK\"; agent-probe | grep -c " + KEY_COMMENT
                        + "; mv \"$d\" /tmp/moved-away && ln -s /guarded \"$d\" && echo swapped");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = Cmd.lines(r.stdout());
        Path socket = Path.of(lines.get(0));
        assertNotEquals("/tmp/" + usedDir, socket.getParent().toString());
        assertEquals(List.of("1", "swapped"), lines.subList(1, 3), r::toString);
        // The socket goes from the directory it was made in (wherever the user moved it); the link the user
        // put at the old name, and what it points to, stay as they are.
        Path moved = box.root.resolve("tmp/moved-away");
        Await.until(Duration.ofSeconds(5), () -> !Files.exists(moved.resolve(socket.getFileName()), LinkOption.NOFOLLOW_LINKS),
                () -> "the socket was not removed from the moved directory");
        for (int i = 1; i <= 64; i++) assertTrue(Files.exists(guarded.resolve("agent." + i)), "a file of the guarded directory was removed");
        assertTrue(Files.exists(guarded.resolve("keep")));
        assertEquals(0, Files.getAttribute(guarded, "unix:uid"));
        assertEquals(0, Files.getAttribute(box.root.resolve("etc"), "unix:uid"));
        assertEquals(0, Files.getAttribute(box.root.resolve("etc/passwd"), "unix:uid"));
        assertTrue(Files.isSymbolicLink(onHost(box, socket.getParent().toString())), "the user's link was left alone");
        box.su("cd /tmp && rm -rf moved-away ssh-*");
    }

    @Test
    void aTmpThatCannotHoldTheSocketCostsOnlyTheAgent() throws Exception {
        // As root inside could leave it: /tmp missing, then a link to /etc. The session runs without an agent,
        // and nothing is made through the link.
        Path tmp = box.root.resolve("tmp");
        Path away = box.root.resolve("tmp.away");
        Files.move(tmp, away);
        try {
            Cmd.Result r = ssh(USER, true, "echo \"[$SSH_AUTH_SOCK]\"; echo ok");
            assertEquals(0, r.exit(), r::toString);
            assertEquals("[]\nok\n", r.stdout(), r::toString);
            Files.createSymbolicLink(tmp, Path.of("/etc"));
            r = ssh(USER, true, "echo \"[$SSH_AUTH_SOCK]\"; echo ok");
            assertEquals(0, r.exit(), r::toString);
            assertEquals("[]\nok\n", r.stdout(), r::toString);
            try (var etc = Files.list(box.root.resolve("etc"))) {
                assertTrue(etc.noneMatch(p -> p.getFileName().toString().startsWith("ssh-")), "nothing made in /etc");
            }
        } finally {
            Files.deleteIfExists(tmp);
            Files.move(away, tmp);
        }
    }

    /** An ssh -A session that stays open (a sleep) until closed; {@link #socket} is its SSH_AUTH_SOCK. */
    static final class LiveSession implements AutoCloseable {
        final Process process;
        final String socket;

        private LiveSession(Process process, String socket) {
            this.process = process;
            this.socket = socket;
        }

        static LiveSession open() throws IOException {
            Process p = Cmd.start(Cmd.Io.CONVERSATION, agentEnv(), sshd.ssh("-A", PrivateSshd.at(USER), "echo \"$SSH_AUTH_SOCK\"; exec sleep 60"));
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertNotNull(line, "the live session printed nothing");
            assertTrue(line.matches(SOCKET), line);
            return new LiveSession(p, line);
        }

        @Override
        public void close() throws Exception {
            Cmd.end(process);
            Path dir = onHost(box, socket).getParent();
            Await.until(Duration.ofSeconds(10), () -> !Files.exists(dir, LinkOption.NOFOLLOW_LINKS),
                    () -> dir + " is left after its session was hung up");
        }
    }
}

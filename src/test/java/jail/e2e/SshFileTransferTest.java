package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 3, files: scp (OpenSSH 9's SFTP protocol and the legacy {@code -O} one), sftp and rsync through a
 * private sshd whose sftp subsystem and scp/rsync servers run through bin/jail, i.e. inside the container.
 * Files land in the container's filesystem, owned by the container uid, byte-identical both ways; jail never
 * adds a byte to these streams (a stray one breaks every one of these protocols).
 */
@RequiresRoot
class SshFileTransferTest {
    static final int UID = 63011;
    static final String USER = "jt-ssh-xfer";

    @RegisterExtension
    static final SshRig RIG = new SshRig(USER, UID);
    static Path local;
    static byte[] data;

    @BeforeAll
    static void start() throws IOException {
        local = Files.createTempDirectory("jt-ssh-xfer-");
        data = new byte[4 * 1024 * 1024 + 4321];
        new Random(11).nextBytes(data);
        Files.write(local.resolve("random.bin"), data);
    }

    @AfterAll
    static void removeLocalFiles() {
        if (local != null) Cmd.run("rm", "-rf", local.toString());
    }

    static String remote(String path) {
        return PrivateSshd.at(USER) + ":" + path;
    }

    static Path inContainer(String containerPath) {
        return RIG.box().root.resolve(containerPath.replaceFirst("^/", ""));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertQuietSuccess(Cmd.Result r) {
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.stderr(), r::toString);
    }

    /** The file is in the container's tree on the host, owned by the container user, with exactly these bytes. */
    static void assertLandedInContainer(String containerPath, byte[] expected) throws IOException {
        Path onHost = inContainer(containerPath);
        assertTrue(Files.isRegularFile(onHost), onHost + " exists under the rootfs");
        assertEquals(sha256(expected), sha256(Files.readAllBytes(onHost)), "same bytes at " + onHost);
        assertEquals(UID, (int) Files.getAttribute(onHost, "unix:uid"), "owner of " + onHost);
        assertEquals(UID, (int) Files.getAttribute(onHost, "unix:gid"), "group of " + onHost);
        // And the container agrees: its own sha256sum over its own path.
        Cmd.Result sum = Cmd.run(RIG.sshd().ssh(PrivateSshd.at(USER), "sha256sum " + containerPath));
        assertEquals(sha256(expected) + "  " + containerPath + "\n", sum.stdout(), sum::toString);
    }

    @ParameterizedTest(name = "scp {0}")
    @ValueSource(strings = {"sftp", "legacy"})
    void scpCopiesBothWays(String protocol) throws IOException {
        String flag = protocol.equals("legacy") ? "-O" : "-s"; // -s: the SFTP protocol, OpenSSH 9's default
        String name = "scp-" + protocol + ".bin";

        Cmd.Result up = Cmd.run(RIG.sshd().scp(flag, local.resolve("random.bin").toString(), remote(name)));
        assertQuietSuccess(up);
        assertEquals("", up.stdout());
        assertLandedInContainer("/home/work/" + name, data);

        Path back = local.resolve("back-" + name);
        Cmd.Result down = Cmd.run(RIG.sshd().scp(flag, remote(name), back.toString()));
        assertQuietSuccess(down);
        assertEquals(sha256(data), sha256(Files.readAllBytes(back)));
    }

    @Test
    void scpDefaultProtocolIsSftpAndWorks() throws IOException {
        Cmd.Result up = Cmd.run(RIG.sshd().scp(local.resolve("random.bin").toString(), remote("scp-default.bin")));
        assertQuietSuccess(up);
        assertLandedInContainer("/home/work/scp-default.bin", data);
        Path back = local.resolve("back-default.bin");
        assertQuietSuccess(Cmd.run(RIG.sshd().scp(remote("scp-default.bin"), back.toString())));
        assertEquals(sha256(data), sha256(Files.readAllBytes(back)));
    }

    @ParameterizedTest(name = "scp {0} to an absolute path")
    @ValueSource(strings = {"-s", "-O"})
    void anAbsolutePathIsTheContainersPathNotTheHosts(String flag) throws IOException {
        String path = "/tmp/jt-ssh-xfer-abs" + flag + ".bin";
        Files.deleteIfExists(Path.of(path));
        assertQuietSuccess(Cmd.run(RIG.sshd().scp(flag, local.resolve("random.bin").toString(), remote(path))));
        assertLandedInContainer(path, data);
        assertFalse(Files.exists(Path.of(path)), "nothing was written to the host's " + path);
    }

    @Test
    void sftpBatchPutAndGet() throws IOException {
        Path batch = local.resolve("batch.sftp");
        Path back = local.resolve("back-sftp.bin");
        Files.writeString(batch, String.join("\n",
                "pwd",
                "mkdir sftp-dir",
                "put " + local.resolve("random.bin") + " sftp-dir/sftp.bin",
                "get sftp-dir/sftp.bin " + back,
                ""));
        Cmd.Result r = Cmd.run(RIG.sshd().sftp("-b", batch.toString(), PrivateSshd.at(USER)));
        assertQuietSuccess(r);
        // sftp echoes each batch command; pwd shows the container's path of the home, not the host's.
        assertTrue(r.stdout().contains("Remote working directory: /home/work\n"), r.stdout());
        assertLandedInContainer("/home/work/sftp-dir/sftp.bin", data);
        Path dir = inContainer("/home/work/sftp-dir");
        assertEquals(UID, (int) Files.getAttribute(dir, "unix:uid"));
        assertEquals(sha256(data), sha256(Files.readAllBytes(back)));
    }

    @Test
    void rsyncBothWays() throws IOException {
        Cmd.Result up = Cmd.run("rsync", "-e", RIG.sshd().rsyncShell(), local.resolve("random.bin").toString(), remote("rsync.bin"));
        assertQuietSuccess(up);
        assertEquals("", up.stdout());
        assertLandedInContainer("/home/work/rsync.bin", data);

        Path back = local.resolve("back-rsync.bin");
        Cmd.Result down = Cmd.run("rsync", "-e", RIG.sshd().rsyncShell(), remote("rsync.bin"), back.toString());
        assertQuietSuccess(down);
        assertEquals(sha256(data), sha256(Files.readAllBytes(back)));
    }

    @Test
    void rsyncATreeWithStatsAndChecksums() throws IOException {
        Path tree = local.resolve("tree");
        Files.createDirectories(tree.resolve("sub/deeper"));
        byte[] a = new byte[1_500_000];
        byte[] b = new byte[700_001];
        new Random(12).nextBytes(a);
        new Random(13).nextBytes(b);
        Files.write(tree.resolve("a.bin"), a);
        Files.write(tree.resolve("sub/deeper/b.bin"), b);
        Files.writeString(tree.resolve("sub/text.txt"), "hello\n");

        Cmd.Result up = Cmd.run("rsync", "-a", "--checksum", "-e", RIG.sshd().rsyncShell(), tree + "/", remote("tree/"));
        assertQuietSuccess(up);
        assertLandedInContainer("/home/work/tree/a.bin", a);
        assertLandedInContainer("/home/work/tree/sub/deeper/b.bin", b);
        assertLandedInContainer("/home/work/tree/sub/text.txt", "hello\n".getBytes());

        // A second run finds nothing to do: the remote rsync saw exactly the same files.
        Cmd.Result again = Cmd.run("rsync", "-a", "--checksum", "--itemize-changes", "-e", RIG.sshd().rsyncShell(),
                tree + "/", remote("tree/"));
        assertQuietSuccess(again);
        assertEquals("", again.stdout(), "no changes itemized");

        Path back = local.resolve("tree-back");
        Cmd.Result down = Cmd.run("rsync", "-a", "-e", RIG.sshd().rsyncShell(), remote("tree/"), back + "/");
        assertQuietSuccess(down);
        assertEquals(sha256(a), sha256(Files.readAllBytes(back.resolve("a.bin"))));
        assertEquals(sha256(b), sha256(Files.readAllBytes(back.resolve("sub/deeper/b.bin"))));
        assertEquals("hello\n", Files.readString(back.resolve("sub/text.txt")));
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9, item 9: the PAM environment is a way into the login shell's environment. Debian 12's
 * /etc/pam.d/sshd has {@code pam_env.so user_readenv=1}: sshd hands what ~/.pam_environment sets to the login
 * shell. A jail user's host home is its container's home, so from inside it writes
 * {@code LD_PRELOAD DEFAULT=@{HOME}/evil.so} there, and at its next ssh login its library runs on the host, in
 * bin/jail's shell, before anything of jail's. Two private sshds with {@code UsePAM yes} use copies of the host's
 * PAM configuration (sshd's PAM service is its program name): as shipped, and after scripts/pam-no-user-env,
 * which ./setup applies to /etc/pam.d/sshd.
 */
@RequiresRoot
class SshdPamTest {
    static final int UID = 68030;
    static final String USER = "jsh-pam";
    static final Path SHIPPED = Path.of("/etc/pam.d/jsh-pam-shipped");
    static final Path FIXED = Path.of("/etc/pam.d/jsh-pam-fixed");
    static final Path MARKS = TestContainer.WORK.resolve("jsh-pam-marks");

    static TestContainer box;
    static PrivateSshd shipped;
    static PrivateSshd fixed;

    @BeforeAll
    static void setUp() throws Exception {
        box = TestContainer.busybox(USER, UID).start();
        Files.copy(PamHost.SERVICE, SHIPPED, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(PamHost.SERVICE, FIXED, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Cmd.ok(Cmd.PROJECT.resolve("scripts/pam-no-user-env").toString(), FIXED.toString());
        shipped = PrivateSshd.startAs(SHIPPED.getFileName().toString(), Map.of(), "UsePAM yes");
        fixed = PrivateSshd.startAs(FIXED.getFileName().toString(), Map.of(), "UsePAM yes");

        // The user, inside its container: its library (brought in like any file) and its ~/.pam_environment.
        Cmd.run("rm", "-f", MARKS.toString());
        Path home = box.root.resolve("home/work");
        MarkingLibrary.build(home.resolve("evil.so"), MARKS);
        Cmd.ok("chown", UID + ":" + UID, home.resolve("evil.so").toString());
        Cmd.Result planted = box.jail("printf 'LD_PRELOAD DEFAULT=@{HOME}/evil.so\\n' > ~/.pam_environment");
        assertEquals(0, planted.exit(), planted::toString);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (shipped != null) shipped.close();
        if (fixed != null) fixed.close();
        Files.deleteIfExists(SHIPPED);
        Files.deleteIfExists(FIXED);
        Files.deleteIfExists(MARKS);
        if (box != null) box.close();
    }

    static List<String> marks() throws IOException {
        return Files.readAllLines(MARKS);
    }

    /** An empty marker file that the user's library can append to (it runs as the user). */
    static void resetMarks() throws IOException {
        Files.writeString(MARKS, "");
        Files.setPosixFilePermissions(MARKS, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    @Test
    void pamEnvironmentFromTheContainerHomeDoesNotReachTheHost() throws IOException {
        assumeTrue(PamHost.readsUserEnvironment(), "this host's /etc/pam.d/sshd does not read ~/.pam_environment");
        resetMarks();
        Cmd.Result attack = Cmd.run(shipped.ssh(PrivateSshd.at(USER), "echo ok"));
        assertEquals("ok\n", attack.stdout(), attack::toString);
        assertFalse(marks().isEmpty(), "the attack: with the PAM configuration as shipped, the library runs on the host");

        resetMarks();
        Cmd.Result r = Cmd.run(fixed.ssh(PrivateSshd.at(USER), "echo ok"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok\n", r.stdout());
        assertEquals(List.of(), marks(), "after scripts/pam-no-user-env nothing of the user's is loaded on the host");
    }

    @Test
    void checkReportsAPamServiceThatReadsTheUsersEnvironment() {
        Cmd.Result r = Cmd.run(Cmd.JAILD, "check", "-f", shipped.config().toString(), USER);
        String line = USER + ": usepam yes: " + PamHost.SERVICE + " reads ~/.pam_environment";
        boolean reported = Cmd.lines(r.stdout()).stream().anyMatch(l -> l.startsWith(line));
        assertEquals(PamHost.readsUserEnvironment(), reported, r::toString);
    }

    /** The host's own sshd PAM service, which jaild check reads. */
    static final class PamHost {
        static final Path SERVICE = Path.of("/etc/pam.d/sshd");

        static boolean readsUserEnvironment() {
            try {
                return Files.readAllLines(SERVICE).stream().anyMatch(l -> l.matches("^[^#]*pam_env\\.so.*user_readenv=1.*"));
            } catch (IOException e) {
                return false;
            }
        }
    }
}

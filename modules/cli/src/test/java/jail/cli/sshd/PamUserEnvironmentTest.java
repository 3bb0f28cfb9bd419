package jail.cli.sshd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PamUserEnvironmentTest {
    static final SshdSettings PAM = SshdSettings.parse("usepam yes\n");
    static final SshdSettings NO_PAM = SshdSettings.parse("usepam no\n");

    @Test
    void debiansSshdServiceReadsTheUsersEnvironment(@TempDir Path dir) throws Exception {
        Path service = dir.resolve("sshd");
        Files.writeString(service, """
                # pam_env.so user_readenv=1 in a comment does not count
                session    required     pam_env.so # [1]
                session    required     pam_env.so user_readenv=1 envfile=/etc/default/locale
                """);
        assertEquals("usepam yes", PamUserEnvironment.of(PAM, service).orElseThrow().setting());
        assertTrue(PamUserEnvironment.of(NO_PAM, service).isEmpty(), "without PAM sshd reads no PAM environment");
    }

    @Test
    void turnedOffOrCommentedOutIsClean(@TempDir Path dir) throws Exception {
        Path service = dir.resolve("sshd");
        Files.writeString(service, """
                #session    required     pam_env.so user_readenv=1
                session    required     pam_env.so user_readenv=0 envfile=/etc/default/locale
                """);
        assertTrue(PamUserEnvironment.of(PAM, service).isEmpty());
        assertTrue(PamUserEnvironment.of(PAM, dir.resolve("missing")).isEmpty());
    }
}

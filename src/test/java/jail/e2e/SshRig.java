package jail.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * What every ssh test class needs: a Debian container for one host user (login shell bin/jail) and a private
 * sshd on 127.0.0.1, up before the class's first test and gone after its last, the sshd first. A JUnit
 * extension: {@code @RegisterExtension static final SshRig RIG = new SshRig(USER, UID);}.
 */
final class SshRig implements BeforeAllCallback, AfterAllCallback {
    private final String user;
    private final int uid;
    private final Map<String, String> sshdEnvironment;
    private final String[] sshdConfig;
    private String[] jaildFlags = {};
    private TestContainer box;
    private PrivateSshd sshd;

    SshRig(String user, int uid) {
        this(user, uid, Map.of());
    }

    /** With extra variables in sshd's environment and extra sshd_config lines. */
    SshRig(String user, int uid, Map<String, String> sshdEnvironment, String... sshdConfig) {
        this.user = user;
        this.uid = uid;
        this.sshdEnvironment = sshdEnvironment;
        this.sshdConfig = sshdConfig;
    }

    /** Extra flags for the container's jaild, kept by its restarts (e.g. {@code --detach-grace 0}). */
    SshRig withJaildFlags(String... flags) {
        jaildFlags = flags;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        box = TestContainer.debian(user, uid).withJaildFlags(jaildFlags).start();
        sshd = PrivateSshd.start(sshdEnvironment, sshdConfig);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (sshd != null) sshd.close();
        } finally {
            if (box != null) box.close();
        }
    }

    TestContainer box() {
        return box;
    }

    PrivateSshd sshd() {
        return sshd;
    }
}

package jail.cli.sshd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * sshd's PAM service reading ~/.pam_environment ({@code pam_env.so user_readenv=1}, on in Debian 12's
 * /etc/pam.d/sshd). sshd hands the PAM environment to the login shell, so a user who can write that file in its
 * host home (a jail user's is usually its container's home) sets LD_PRELOAD for a shell on the host.
 */
public final class PamUserEnvironment {
    public static final Path SSHD_SERVICE = Path.of("/etc/pam.d/sshd");
    private static final Pattern READS_USER_ENV = Pattern.compile("^[^#]*pam_env\\.so.*\\buser_readenv=1\\b.*");

    private PamUserEnvironment() {}

    public static Optional<Exposure> of(SshdSettings s, Path service) {
        if (!s.is("usepam", "yes") || !readsUserEnvironment(service)) return Optional.empty();
        return Optional.of(new Exposure("usepam yes", service + " reads ~/.pam_environment (pam_env user_readenv=1): "
                + "LD_PRELOAD set there reaches the login shell on the host (scripts/pam-no-user-env)"));
    }

    static boolean readsUserEnvironment(Path service) {
        try {
            List<String> lines = Files.exists(service) ? Files.readAllLines(service) : List.of();
            return lines.stream().anyMatch(l -> READS_USER_ENV.matcher(l).matches());
        } catch (IOException e) {
            throw new SshdException(service + ": " + e.getMessage());
        }
    }
}

package jail.cli.sshd;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SshdExposuresTest {
    /** What OpenSSH 9.2's sshd -T prints for the settings that matter here, with its defaults. */
    static final String DEFAULTS = """
            allowtcpforwarding yes
            allowstreamlocalforwarding yes
            disableforwarding no
            gatewayports no
            x11forwarding no
            permittunnel no
            permituserrc yes
            permituserenvironment no
            permitopen any
            permitlisten any
            forcecommand none
            acceptenv LANG
            acceptenv LC_*
            subsystem sftp /usr/lib/openssh/sftp-server
            """;

    static List<String> settings(String output) {
        return SshdExposures.of(SshdSettings.parse(output)).stream().map(Exposure::setting).toList();
    }

    @Test
    void sshdsDefaultsLeaveForwardingAndUserRcOpen() {
        assertEquals(List.of("allowtcpforwarding yes", "permitopen any", "permitlisten any",
                "allowstreamlocalforwarding yes", "permituserrc yes"), settings(DEFAULTS));
    }

    @Test
    void theDropInsSettingsCloseEverything() {
        String closed = DEFAULTS.replace("allowtcpforwarding yes", "allowtcpforwarding no")
                .replace("allowstreamlocalforwarding yes", "allowstreamlocalforwarding no")
                .replace("permituserrc yes", "permituserrc no")
                .replace("permitopen any", "permitopen none").replace("permitlisten any", "permitlisten none");
        assertEquals(List.of(), settings(closed));
    }

    @Test
    void disableForwardingClosesAllForwardingAtOnce() {
        String output = DEFAULTS.replace("disableforwarding no", "disableforwarding yes").replace("permituserrc yes", "permituserrc no");
        assertEquals(List.of(), settings(output));
    }

    @Test
    void onlyTheDirectionsAllowedCount() {
        String local = DEFAULTS.replace("allowtcpforwarding yes", "allowtcpforwarding local").replace("gatewayports no", "gatewayports yes");
        assertEquals(List.of("allowtcpforwarding local", "permitopen any", "allowstreamlocalforwarding yes", "permituserrc yes"),
                settings(local));
    }

    @Test
    void internalSftpUserEnvironmentAndLoaderVariablesAreReported() {
        String output = DEFAULTS.replace("subsystem sftp /usr/lib/openssh/sftp-server", "subsystem sftp internal-sftp")
                .replace("permituserenvironment no", "permituserenvironment yes") + "acceptenv LD_*\nacceptenv FOO\n";
        List<String> found = settings(output);
        assertTrue(found.containsAll(List.of("subsystem sftp internal-sftp", "permituserenvironment yes", "acceptenv LD_*")), found::toString);
        assertFalse(found.contains("acceptenv FOO"));
        assertFalse(found.contains("acceptenv LC_*"));
    }

    @Test
    void acceptEnvPatternsUseSshdsWildcards() {
        assertTrue(SshdExposures.matches("*", "LD_PRELOAD"));
        assertTrue(SshdExposures.matches("LD_PRELOA?", "LD_PRELOAD"));
        assertFalse(SshdExposures.matches("LD.*", "LD_PRELOAD"), "a dot is a dot");
        assertFalse(SshdExposures.matches("LC_*", "LD_PRELOAD"));
    }
}

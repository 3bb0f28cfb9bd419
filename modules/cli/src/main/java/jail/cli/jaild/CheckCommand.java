package jail.cli.jaild;

import jail.cli.config.ContainerDefinition;
import jail.cli.sshd.Exposure;
import jail.cli.sshd.LoginShells;
import jail.cli.sshd.PamUserEnvironment;
import jail.cli.sshd.SshdException;
import jail.cli.sshd.SshdExposures;
import jail.cli.sshd.SshdSettings;
import jail.namespace.account.AccountFileException;
import jail.namespace.account.PasswdEntry;
import jail.namespace.account.PasswdFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jaild check [--config FILE] [-f SSHD_CONFIG] [USER...]}: for each jail user (the host accounts of the
 * configured containers' uids, and/or the named ones), asks sshd for its effective configuration and reports
 * every setting that lets that user act on the host, outside its container, one line each.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Reports what lets a jail user act on the host, outside its container:",
                "sshd's forwarding, tunnels, X11, internal-sftp (from sshd -T), PAM reading",
                "~/.pam_environment, a login shell other than jail. One line per user and",
                "setting. Users: the host accounts of the configured containers' uids, or",
                "those named."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:nothing open", "1:something is open (or the check failed)", "2:bad command line"})
public class CheckCommand implements Callable<Integer> {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    @Mixin
    ConfigOption config;

    @Option(names = {"-f", "--sshd-config"}, paramLabel = "FILE", description = "sshd_config to check (default: sshd's own).")
    Path sshdConfig;

    @Parameters(paramLabel = "USER", arity = "0..*", description = "Host accounts to check (default: the configured containers').")
    List<String> users = new ArrayList<>();

    @Override
    public Integer call() {
        if (ContainerOwner.rootless()) {
            throw new JaildException("checking sshd's configuration requires root (sshd -T reads the host keys)");
        }
        PasswdFile host = hostAccounts();
        Map<String, PasswdEntry> accounts = new LinkedHashMap<>();
        for (String name : users) {
            accounts.put(name, host.byName(name).orElseThrow(() -> new JaildException(name + ": no such host user")));
        }
        if (users.isEmpty() || config.file != null) {
            for (ContainerDefinition d : config.load().values()) {
                PasswdEntry account = host.byUid(d.uid()).orElseThrow(() -> new JaildException(
                        "container " + d.name() + ": uid " + d.uid() + " has no host account"));
                accounts.putIfAbsent(account.name(), account);
            }
        }
        if (accounts.isEmpty()) throw new JaildException("no users to check: name them, or configure containers");

        LoginShells shells = LoginShells.ofHost(launcher());
        boolean open = false;
        for (PasswdEntry account : accounts.values()) {
            List<Exposure> found = new ArrayList<>(shells.of(account));
            try {
                SshdSettings settings = SshdSettings.effectiveFor(SSHD, sshdConfig, account.name());
                found.addAll(SshdExposures.of(settings));
                PamUserEnvironment.of(settings, PamUserEnvironment.SSHD_SERVICE).ifPresent(found::add);
            } catch (SshdException e) {
                throw new JaildException(e.getMessage());
            }
            found.forEach(x -> System.out.println(x.line(account.name())));
            open |= !found.isEmpty();
        }
        return open ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static PasswdFile hostAccounts() {
        try {
            return PasswdFile.read(Path.of("/etc/passwd"));
        } catch (AccountFileException e) {
            throw new JaildException(e.getMessage());
        }
    }

    /** bin/jail of this installation (bin/jaild passes where it is). */
    private static Path launcher() {
        String launcher = System.getProperty("jail.launcher");
        if (launcher == null) throw new JaildException("jail.launcher is not set: run jaild through bin/jaild");
        return Path.of(launcher);
    }
}

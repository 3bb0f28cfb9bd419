package jail.cli.sshd;

import jail.namespace.account.PasswdEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A jail user's host account: its login shell must be jail's launcher (sshd and su run it), and that launcher
 * must not be in /etc/shells, which makes su -s / su -m (for whoever knows the password) and chsh treat it
 * as one shell among others and run another.
 */
public final class LoginShells {
    private final Path launcher;
    private final List<String> listedShells;

    public LoginShells(Path launcher, List<String> listedShells) {
        this.launcher = launcher;
        this.listedShells = listedShells;
    }

    /** With the host's /etc/shells (missing: none listed). */
    public static LoginShells ofHost(Path launcher) {
        try {
            Path shells = Path.of("/etc/shells");
            return new LoginShells(launcher, Files.exists(shells) ? Files.readAllLines(shells) : List.of());
        } catch (IOException e) {
            throw new SshdException("/etc/shells: " + e.getMessage());
        }
    }

    public List<Exposure> of(PasswdEntry account) {
        List<Exposure> found = new ArrayList<>();
        String shell = account.loginShell();
        if (!sameFile(Path.of(shell), launcher)) {
            found.add(new Exposure("login shell " + shell + " is not jail's launcher " + launcher,
                    "ssh and su give a shell on the host"));
        } else if (listedShells.stream().map(String::strip).anyMatch(l -> !l.startsWith("#") && sameFile(Path.of(l), launcher))) {
            found.add(new Exposure("login shell " + shell + " is listed in /etc/shells",
                    "su -s, su -m and chsh can run another shell on the host"));
        }
        return found;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}

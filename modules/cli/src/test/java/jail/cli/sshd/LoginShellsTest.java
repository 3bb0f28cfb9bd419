package jail.cli.sshd;

import jail.namespace.account.PasswdEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LoginShellsTest {
    static PasswdEntry account(Path shell) {
        return new PasswdEntry("centos", 61000, 61000, "", "/srv/centos/home/work", shell.toString());
    }

    @Test
    void theLauncherOrALinkToItIsJails(@TempDir Path dir) throws Exception {
        Path launcher = Files.createFile(dir.resolve("jail"));
        Path link = Files.createSymbolicLink(dir.resolve("usr-local-bin-jail"), launcher);
        LoginShells shells = new LoginShells(launcher, List.of("/bin/sh", "/bin/bash"));
        assertEquals(List.of(), shells.of(account(launcher)));
        assertEquals(List.of(), shells.of(account(link)));
    }

    @Test
    void anotherShellIsReported(@TempDir Path dir) throws Exception {
        Path launcher = Files.createFile(dir.resolve("jail"));
        List<Exposure> found = new LoginShells(launcher, List.of()).of(account(Path.of("/bin/sh")));
        assertEquals(List.of("login shell /bin/sh is not jail's launcher " + launcher), found.stream().map(Exposure::setting).toList());
    }

    @Test
    void theLauncherListedInEtcShellsIsReported(@TempDir Path dir) throws Exception {
        Path launcher = Files.createFile(dir.resolve("jail"));
        List<Exposure> found = new LoginShells(launcher, List.of("# comment", "/bin/sh", launcher.toString())).of(account(launcher));
        assertEquals(List.of("login shell " + launcher + " is listed in /etc/shells"), found.stream().map(Exposure::setting).toList());
    }
}

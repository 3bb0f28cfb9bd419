package jail.namespace.spawn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C helper itself (target/native/jail-exec, built in the compile phase), run directly: its mistakes are
 * one line and exit 126, a missing program 127, and as root it really becomes the user it is told to.
 */
class JailExecTest {
    static final Path HELPER = Path.of("target/native/jail-exec").toAbsolutePath();

    record Run(int exit, String out, String err) {}

    static Run run(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(HELPER.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void badRequestsAreOneLineAndExit126() throws Exception {
        assertEquals(new Run(126, "", "jail: cannot start the session: --uid and --gid are required\n"), run("--", "/bin/true", "true"));
        assertEquals(new Run(126, "", "jail: cannot start the session: unknown option --frobnicate\n"),
                run("--frobnicate", "1", "--uid", "1", "--gid", "1", "--", "/bin/true", "true"));
        assertEquals(new Run(126, "", "jail: cannot start the session: unknown resource limit 'files'\n"),
                run("--uid", "1", "--gid", "1", "--rlimit", "files=1:1", "--", "/bin/true", "true"));
        assertEquals(new Run(126, "", "jail: cannot start the session: no program and argv[0] after --\n"),
                run("--uid", "1", "--gid", "1", "--", "/bin/true"));
    }

    @Test
    void asRootItBecomesTheUserAndRunsTheProgram() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")) && "root".equals(System.getProperty("user.name")),
                "needs root");
        Run r = run("--uid", "65534", "--gid", "65534", "--groups", "65534", "--no-new-privs", "--rlimit", "nofile=100:200",
                "--seccomp-deny", "keyctl", "--chdir", "/nonexistent", "--", "/bin/sh", "sh", "-c",
                "id -u; id -g; ulimit -n; ulimit -Hn; pwd; grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | cut -f2");
        assertEquals(new Run(0, "65534\n65534\n100\n200\n/\n0000000000000000\n1\n2\n", ""), r);
        assertEquals(new Run(127, "", "jail: /no/such/shell: No such file or directory\n"),
                run("--uid", "65534", "--gid", "65534", "--", "/no/such/shell", "sh"));
    }
}

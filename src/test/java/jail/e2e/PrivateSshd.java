package jail.e2e;

import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenSSH server for tests: Debian's /usr/sbin/sshd in the foreground on 127.0.0.1 and a free high
 * port, with its own config, host key and authorized key (a client key made here) in a temp directory. It
 * never touches the system sshd, port 22 or any address but 127.0.0.1. The sftp subsystem is the path
 * {@code /usr/lib/openssh/sftp-server}, which sshd runs through the account's login shell (bin/jail), so it
 * runs inside the container.
 *
 * <p>Client commands ({@link #ssh}, {@link #scp}, {@link #sftp}, {@link #rsyncShell}) use the client key with
 * BatchMode, no host key checking and LogLevel=ERROR, so only what the remote side writes reaches stderr.
 */
final class PrivateSshd implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    final Path dir;
    final int port;
    final Path clientKey;
    private final Process process;
    private final Path log;

    private PrivateSshd(Path dir, int port, Path clientKey, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.clientKey = clientKey;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts sshd; {@code extraEnv} is added to sshd's own environment (to prove none of it leaks), and
     * {@code extraConfig} comes before the defaults, so it wins (sshd keeps a keyword's first value).
     */
    static PrivateSshd start(Map<String, String> extraEnv, String... extraConfig) {
        return startAs(null, extraEnv, extraConfig);
    }

    /**
     * The same, run through a link named {@code programName} when not null: sshd's PAM service is its program
     * name, so /etc/pam.d/PROGRAMNAME is the PAM configuration it uses (with {@code UsePAM yes}).
     */
    static PrivateSshd startAs(String programName, Map<String, String> extraEnv, String... extraConfig) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jt-sshd-");
            // sshd reads the authorized keys as the logged-in user: the directory must be searchable.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path hostKey = dir.resolve("host_ed25519");
        Path clientKey = dir.resolve("client_ed25519");
        Cmd.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jt-sshd-host", "-f", hostKey.toString());
        Cmd.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jt-sshd-client", "-f", clientKey.toString());
        Path sshd = Path.of("/usr/sbin/sshd");
        if (programName != null) {
            sshd = dir.resolve(programName);
            try {
                Files.createSymbolicLink(sshd, Path.of("/usr/sbin/sshd"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path authorized = dir.resolve("authorized_keys");
        try {
            Files.copy(dir.resolve("client_ed25519.pub"), authorized);
            Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        AssertionError last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            List<String> lines = new ArrayList<>(Arrays.asList(extraConfig));
            lines.addAll(List.of(
                    "ListenAddress " + HOST,
                    "Port " + port,
                    "HostKey " + hostKey,
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + authorized,
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "StrictModes no",
                    "UseDNS no",
                    "AcceptEnv LANG LC_*",
                    // Many logins at once: the default 10:30:100 drops unauthenticated connections beyond 10.
                    "MaxStartups 200",
                    "Subsystem sftp /usr/lib/openssh/sftp-server"));
            Path log = dir.resolve("sshd-" + attempt + ".log");
            try {
                Files.write(config, lines);
                Cmd.ok(sshd.toString(), "-t", "-f", config.toString()); // config check first: a clear message
                Process p = Cmd.start(Cmd.Io.toFile(log), extraEnv, sshd.toString(), "-D", "-e", "-f", config.toString());
                if (waitListening(p, log, port)) return new PrivateSshd(dir, port, clientKey, p, log);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                last = new AssertionError("sshd did not start on port " + port + ":\n" + Files.readString(log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        Cmd.run("rm", "-rf", dir.toString());
        throw last;
    }

    private static boolean waitListening(Process p, Path log, int port) throws IOException, InterruptedException {
        String ready = "Server listening on " + HOST + " port " + port + ".";
        // An sshd that ended (e.g. the port was taken meanwhile) makes the caller try another port.
        return Await.value(Duration.ofSeconds(15), () -> Files.exists(log) && Files.readString(log).contains(ready) ? "listening"
                : p.isAlive() ? "starting" : "ended", state -> !state.equals("starting"), state -> "sshd did not start: " + log)
                .equals("listening");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client options every command shares (ssh spells the port -p, scp and sftp -P). */
    List<String> options() {
        return List.of("-i", clientKey.toString(),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=30");
    }

    /** {@code ssh -p PORT OPTIONS [args...]}: append e.g. "-T", "user@127.0.0.1", "command". */
    String[] ssh(String... args) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-p", String.valueOf(port)));
        argv.addAll(options());
        argv.addAll(Arrays.asList(args));
        return argv.toArray(String[]::new);
    }

    String[] scp(String... args) {
        List<String> argv = new ArrayList<>(List.of("scp", "-P", String.valueOf(port)));
        argv.addAll(options());
        argv.addAll(Arrays.asList(args));
        return argv.toArray(String[]::new);
    }

    String[] sftp(String... args) {
        List<String> argv = new ArrayList<>(List.of("sftp", "-P", String.valueOf(port)));
        argv.addAll(options());
        argv.addAll(Arrays.asList(args));
        return argv.toArray(String[]::new);
    }

    /** The remote shell for {@code rsync -e}: one string, as rsync splits it. */
    String rsyncShell() {
        return "ssh -p " + port + " " + String.join(" ", options());
    }

    /** The destination for a host user: {@code user@127.0.0.1}. */
    static String at(String user) {
        return user + "@" + HOST;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The sshd_config this server runs with (for {@code sshd -T -f} and {@code jaild check -f}). */
    Path config() {
        return dir.resolve("sshd_config");
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        // SIGTERM stops the listener; connections still open end with their clients.
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Cmd.run("rm", "-rf", dir.toString());
    }
}

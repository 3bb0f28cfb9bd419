package jail.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who runs jail and on what, read from /proc rather than through native calls: on the non-terminal path
 * (ssh commands, scp, sftp, rsync) the client then loads no native code at all, which saves about 100 ms of
 * JNA start-up on every such login (docs/performance.md). The terminal path needs termios and loads JNA.
 */
final class Caller {
    private Caller() {}

    /** The real uid (first field of "Uid:" in /proc/self/status), as getuid(2) returns it. */
    static int realUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the caller's uid from /proc/self/status: " + e.getMessage());
        }
        throw new IllegalStateException("no Uid line in /proc/self/status");
    }

    /** Whether stdin is a terminal: fd 0 is a tty device (a pty slave, a virtual console, a serial line). */
    static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no fd 0 at all
        }
    }
}

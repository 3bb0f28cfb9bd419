package jail.pty;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * The local terminal switched to raw mode (cfmakeraw), as ssh does for an interactive session: every key,
 * Ctrl-C included, goes to the remote pty; the remote side does the line editing and signals.
 * {@link #restore()} puts back exactly what was there, and is safe to call more than once.
 */
public final class TerminalMode {
    private static final int TERMIOS_SIZE = 64; // glibc's struct termios is 60 bytes on x86_64

    private final int fd;
    private final Memory saved;
    private volatile boolean raw;

    private TerminalMode(int fd, Memory saved) {
        this.fd = fd;
        this.saved = saved;
    }

    public static boolean isTerminal(int fd) {
        return LibC.isatty(fd) == 1;
    }

    public static TerminalMode makeRaw(int fd) {
        Memory saved = new Memory(TERMIOS_SIZE);
        Memory rawAttrs = new Memory(TERMIOS_SIZE);
        try {
            LibC.tcgetattr(fd, saved);
            rawAttrs.write(0, saved.getByteArray(0, TERMIOS_SIZE), 0, TERMIOS_SIZE);
            LibC.cfmakeraw(rawAttrs);
            LibC.tcsetattr(fd, TCSADRAIN, rawAttrs);
        } catch (LastErrorException e) {
            throw SyscallException.of("tcsetattr", "fd " + fd, e);
        }
        TerminalMode mode = new TerminalMode(fd, saved);
        mode.raw = true;
        return mode;
    }

    public synchronized void restore() {
        if (!raw) return;
        raw = false;
        try {
            LibC.tcsetattr(fd, TCSADRAIN, saved);
        } catch (LastErrorException e) {
            // The terminal is gone (hangup): nothing left to restore.
        }
    }
}

package jail.namespace.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** What an fd is, a private copy of one, and closing. */
public final class Fds {

    private Fds() {}

    /** What an fd refers to, as far as moving bytes into it is concerned. */
    public enum Kind { PIPE, REGULAR_FILE, TERMINAL, CHARACTER_DEVICE, OTHER }

    public static Kind kind(int fd) {
        int mode;
        try (Memory st = new Memory(144)) { // struct stat, x86_64
            LibC.fstat(fd, st);
            mode = st.getInt(24) & S_IFMT;
        } catch (LastErrorException e) {
            throw SyscallException.of("fstat", "fd " + fd, e);
        }
        return switch (mode) {
            case S_IFIFO -> Kind.PIPE;
            case S_IFREG -> Kind.REGULAR_FILE;
            case S_IFCHR -> LibC.isatty(fd) == 1 ? Kind.TERMINAL : Kind.CHARACTER_DEVICE;
            default -> Kind.OTHER;
        };
    }

    /** A second fd for the same open file (close-on-exec): it stays valid whatever happens to the first. */
    public static int duplicate(int fd) {
        try {
            return LibC.fcntl(fd, F_DUPFD_CLOEXEC, 3);
        } catch (LastErrorException e) {
            throw SyscallException.of("fcntl(F_DUPFD_CLOEXEC)", "fd " + fd, e);
        }
    }

    /** Reads up to {@code len} bytes into {@code buf} from a non-blocking fd: the count, 0 when it has nothing now, -1 at end of file. */
    public static int readNonBlocking(int fd, byte[] buf, int len) {
        try {
            long n = LibC.read(fd, buf, Math.min(len, buf.length));
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return 0;
            throw SyscallException.of("read", "fd " + fd, e);
        }
    }

    /** Writes what a non-blocking fd takes now of {@code bytes[off, off+len)}: the count, 0 when it is full. */
    public static int writeNonBlocking(int fd, byte[] bytes, int off, int len) {
        byte[] part = off == 0 && len == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, off, off + len);
        try {
            return (int) LibC.write(fd, part, len);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return 0;
            throw SyscallException.of("write", "fd " + fd, e);
        }
    }

    /** Closes {@code fd}; a negative one means "none". */
    public static void close(int fd) {
        jail.namespace.NativeFd.close(fd);
    }
}

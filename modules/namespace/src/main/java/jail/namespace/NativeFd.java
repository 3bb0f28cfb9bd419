package jail.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import jail.namespace.io.PollSet;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** Plain file-descriptor calls (open, read, write, close, flags) with errors that name the call. */
public final class NativeFd {

    private NativeFd() {}

    public static int open(String path, int flags, int mode) {
        try {
            return LibC.open(path, flags, mode);
        } catch (LastErrorException e) {
            throw SyscallException.of("open", path, e);
        }
    }

    /** Reads into native memory; returns -1 at end of file (including EIO on a pty master, which is its EOF). */
    public static int read(int fd, Pointer buf, int len) {
        try {
            long n = LibC.read(fd, buf, len);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EIO) return -1;
            throw SyscallException.of("read", "fd " + fd, e);
        }
    }

    /** Reads, or returns 0 when a non-blocking fd has nothing now, -1 at end of file. */
    public static int readNonBlocking(int fd, Pointer buf, int len) {
        try {
            long n = LibC.read(fd, buf, len);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return 0;
            if (e.getErrorCode() == EIO) return -1;
            throw SyscallException.of("read", "fd " + fd, e);
        }
    }

    /** Writes what the fd takes now; 0 when a non-blocking fd is full. */
    public static int writeNonBlocking(int fd, Pointer buf, int len) {
        try {
            return (int) LibC.write(fd, buf, len);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return 0;
            throw SyscallException.of("write", "fd " + fd, e);
        }
    }

    /** Writes all bytes to a blocking fd. */
    public static void writeFully(int fd, byte[] bytes) {
        int off = 0;
        try (var mem = new com.sun.jna.Memory(Math.max(1, bytes.length))) {
            mem.write(0, bytes, 0, bytes.length);
            while (off < bytes.length) {
                try {
                    off += (int) LibC.write(fd, mem.share(off), bytes.length - off);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) throw SyscallException.of("write", "fd " + fd, e);
                }
            }
        }
    }

    public static void setNonBlocking(int fd) {
        try {
            int flags = LibC.fcntl(fd, F_GETFL, 0);
            LibC.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        } catch (LastErrorException e) {
            throw SyscallException.of("fcntl", "fd " + fd, e);
        }
    }

    /**
     * {@code fd} moved to the lowest free number at or above {@code min} (close-on-exec), the old number closed:
     * an fd a spawn will dup2 from must not be one of the numbers it dup2s to.
     */
    public static int moveAbove(int fd, int min) {
        try {
            int moved = LibC.fcntl(fd, F_DUPFD_CLOEXEC, min);
            close(fd);
            return moved;
        } catch (LastErrorException e) {
            close(fd);
            throw SyscallException.of("fcntl", "fd " + fd, e);
        }
    }

    public static void close(int fd) {
        if (fd < 0) return;
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // EBADF would be our bug; EINTR/EIO on close still release the fd on Linux: nothing to retry.
        }
    }

    /**
     * Reads what a child reports on a pipe until it closes its end, for at most {@code timeoutMillis}; throws
     * TimeoutException when the child neither wrote all nor closed in time.
     */
    public static String readUntilClosed(int fd, int timeoutMillis) throws java.util.concurrent.TimeoutException {
        StringBuilder text = new StringBuilder();
        PollSet report = new PollSet();
        report.add(fd, PollSet.IN);
        try (com.sun.jna.Memory buf = new com.sun.jna.Memory(512)) {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new java.util.concurrent.TimeoutException("no end of report within " + timeoutMillis + " ms");
                if (!report.poll((int) left) || report.revents(0) == 0) continue; // a signal, or nothing yet
                int n = read(fd, buf, 512);
                if (n < 0) return text.toString();
                text.append(new String(buf.getByteArray(0, n), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}

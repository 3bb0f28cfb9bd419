package jail.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** Plain file-descriptor calls (open, read, write, close, flags) with errors that name the call. */
public final class NativeFd {
    private static final LibC C = LibC.INSTANCE;

    private NativeFd() {}

    public static int open(String path, int flags, int mode) {
        try {
            return C.open(path, flags, mode);
        } catch (LastErrorException e) {
            throw SyscallException.of("open", path, e);
        }
    }

    /** Reads into native memory; returns -1 at end of file (including EIO on a pty master, which is its EOF). */
    public static int read(int fd, Pointer buf, int len) {
        try {
            long n = C.read(fd, buf, len);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EIO) return -1;
            throw SyscallException.of("read", "fd " + fd, e);
        }
    }

    /** Reads, or returns 0 when a non-blocking fd has nothing now, -1 at end of file. */
    public static int readNonBlocking(int fd, Pointer buf, int len) {
        try {
            long n = C.read(fd, buf, len);
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
            return (int) C.write(fd, buf, len);
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
                    off += (int) C.write(fd, mem.share(off), bytes.length - off);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) throw SyscallException.of("write", "fd " + fd, e);
                }
            }
        }
    }

    public static void setNonBlocking(int fd) {
        try {
            int flags = C.fcntl(fd, F_GETFL, 0);
            C.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        } catch (LastErrorException e) {
            throw SyscallException.of("fcntl", "fd " + fd, e);
        }
    }

    public static void close(int fd) {
        if (fd < 0) return;
        try {
            C.close(fd);
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
        try (com.sun.jna.Memory buf = new com.sun.jna.Memory(512)) {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            LibC.PollFd[] pfd = (LibC.PollFd[]) new LibC.PollFd().toArray(1);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new java.util.concurrent.TimeoutException("no end of report within " + timeoutMillis + " ms");
                pfd[0].fd = fd;
                pfd[0].events = POLLIN;
                try {
                    if (LibC.INSTANCE.poll(pfd, 1, (int) left) == 0) continue;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EINTR) continue;
                    throw SyscallException.of("poll", "report pipe", e);
                }
                int n = read(fd, buf, 512);
                if (n < 0) return text.toString();
                text.append(new String(buf.getByteArray(0, n), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}

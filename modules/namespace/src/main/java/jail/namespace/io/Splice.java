package jail.namespace.io;

import com.sun.jna.LastErrorException;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * splice(2): moves bytes between two fds, one of them a pipe, without copying them through user space.
 * {@link #move} never blocks on the pipe side (SPLICE_F_NONBLOCK), {@link #moveWaiting} may; whether the other
 * side blocks is its own O_NONBLOCK's affair.
 */
public final class Splice {

    private Splice() {}

    /** The kernel cannot splice between these two fds (EINVAL: a terminal, a file opened with O_APPEND...). */
    public static final class Refused extends SyscallException {
        Refused(String target, int errno) {
            super("splice", target, errno);
        }
    }

    /**
     * Moves up to {@code len} bytes: the count, 0 when nothing can move now (EAGAIN: the source empty or the
     * target full, for a non-blocking side), -1 at the source's end of file.
     */
    public static int move(int from, int to, int len) {
        return splice(from, to, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    }

    /** As {@link #move}, but waits for the pipe (for data, or for room); 0 only from a non-blocking other side. */
    public static int moveWaiting(int from, int to, int len) {
        return splice(from, to, len, SPLICE_F_MOVE);
    }

    private static int splice(int from, int to, int len, int flags) {
        try {
            long n = LibC.splice(from, null, to, null, len, flags);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == EAGAIN || errno == EINTR) return 0;
            String target = "fd " + from + " -> fd " + to;
            if (errno == EINVAL) throw new Refused(target, errno);
            throw new SyscallException("splice", target, errno);
        }
    }
}

package jail.namespace.io;

import com.sun.jna.LastErrorException;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** Pipes: making one, its size, and how many bytes wait in it. */
public final class Pipes {

    private Pipes() {}

    /** pipe2(O_CLOEXEC): [read end, write end]. */
    public static int[] create() {
        int[] fds = new int[2];
        try {
            LibC.pipe2(fds, O_CLOEXEC);
            return fds;
        } catch (LastErrorException e) {
            throw SyscallException.of("pipe2", null, e);
        }
    }

    /**
     * Bytes waiting to be read (FIONREAD): what a frame that is spliced out of the pipe can announce. Asked once
     * per frame, so it allocates no native memory (an IntByReference would, freed later by JNA's cleaner thread).
     */
    public static int available(int fd) {
        int[] n = new int[1];
        try {
            LibC.ioctl(fd, FIONREAD, n);
            return n[0];
        } catch (LastErrorException e) {
            throw SyscallException.of("ioctl(FIONREAD)", "fd " + fd, e);
        }
    }

    /** F_SETPIPE_SZ; returns the size the kernel gave, or the current one if it refused (EPERM above the maximum). */
    public static int resize(int fd, int bytes) {
        try {
            return LibC.fcntl(fd, F_SETPIPE_SZ, bytes);
        } catch (LastErrorException e) {
            try {
                return LibC.fcntl(fd, F_GETPIPE_SZ, 0);
            } catch (LastErrorException again) {
                throw SyscallException.of("fcntl(F_GETPIPE_SZ)", "fd " + fd, again);
            }
        }
    }
}

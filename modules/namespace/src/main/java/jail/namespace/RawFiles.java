package jail.namespace;

import com.sun.jna.LastErrorException;
import jail.namespace.jna.LibC;

import java.nio.file.Path;

import static jail.namespace.jna.Constants.*;

/**
 * File operations whose errno is the answer, for kernel file systems where it says what went wrong (cgroupfs:
 * EINVAL for a bad value, EBUSY for a cgroup in use, ESRCH for a gone pid), which java.nio would flatten into
 * an IOException without it. Each returns 0 or the errno.
 */
public final class RawFiles {
    /** rmdir(2) on x86_64. LibC binds no rmdir; the generic syscall entry carries the path instead. */
    private static final long SYS_RMDIR = 84;

    private RawFiles() {}

    /** open(O_WRONLY) and one write(2) of all of {@code bytes}: how cgroupfs takes a setting or a pid. */
    public static int writeOnce(Path file, byte[] bytes) {
        int fd;
        try {
            fd = LibC.open(file.toString(), O_WRONLY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
        try {
            return LibC.write(fd, bytes, bytes.length) == bytes.length ? 0 : EIO;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        } finally {
            NativeFd.close(fd);
        }
    }

    public static int mkdir(Path dir, int mode) {
        try {
            LibC.mkdir(dir.toString(), mode);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    public static int rmdir(Path dir) {
        try {
            LibC.syscall(SYS_RMDIR, dir.toString(), null);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }
}

package jail.cgroup;

import jail.namespace.Errno;

import java.nio.file.Path;

/**
 * A cgroup operation that failed: a controller the host lacks, or a read, write, mkdir or rmdir on cgroupfs
 * that the kernel refused. The message is one line fit for a user, e.g.
 * {@code cannot write '5' to /sys/fs/cgroup/pids/jail/c1/pids.max: Invalid argument (errno 22)} or
 * {@code cgroup controller 'pids' is not available on this host}.
 */
public class CgroupException extends RuntimeException {
    private final Path path;
    private final int errno;

    public CgroupException(String message, Path path, int errno, Throwable cause) {
        super(message, cause);
        this.path = path;
        this.errno = errno;
    }

    /** {@code WHAT PATH: strerror (errno N)}, for a call that failed with an errno. */
    static CgroupException of(String what, Path path, int errno) {
        return new CgroupException(what + " " + path + ": " + Errno.describe(errno) + " (errno " + errno + ")",
                path, errno, null);
    }

    /** The file or directory concerned; null when there is none (e.g. a controller missing from the host). */
    public Path path() {
        return path;
    }

    /** The errno the kernel returned, or 0 when the failure did not come from a system call. */
    public int errno() {
        return errno;
    }
}

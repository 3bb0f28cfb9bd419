package jail.namespace.logins;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * utmp, wtmp or lastlog, opened by root inside a container for writing records, where a user of the container
 * must not be able to aim root's writes at another file:
 * <ul>
 *   <li>the directory (links in its path are the container's own and are followed) must belong to root and be
 *       writable by nobody else, so no user can plant or swap a name in it;</li>
 *   <li>the file itself is opened with O_NOFOLLOW, and must be a regular file of root's with one link.</li>
 * </ul>
 * Whatever fails these is not written ({@link UnsafeLoginFileException}); a missing file or directory (a
 * container without login records, e.g. busybox's with no /var/run) is {@code null}.
 */
public final class LoginFile implements AutoCloseable {
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000;

    private final String path;
    private final int fd;

    private LoginFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Thrown when a login file or its directory could be a user's plant. */
    public static final class UnsafeLoginFileException extends IllegalStateException {
        UnsafeLoginFileException(String message) {
            super(message);
        }
    }

    /** Opens {@code dir/name} for reading and writing, or returns null when it or its directory does not exist. */
    public static LoginFile openExisting(String dir, String name) {
        int dirFd = openDirectory(dir);
        if (dirFd < 0) return null;
        try {
            int fd;
            try {
                fd = LibC.openat(dirFd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOENT) return null;
                if (e.getErrorCode() == ELOOP) throw new UnsafeLoginFileException(dir + "/" + name + " is a symbolic link");
                throw SyscallException.of("open", dir + "/" + name, e);
            }
            return checked(dir + "/" + name, fd);
        } finally {
            close(dirFd);
        }
    }

    /**
     * Replaces {@code dir/name} by a new empty file (root, group {@code gid}, mode 0664), as an init makes utmp
     * at boot: whatever was there (a stale file, a planted link) is unlinked, never followed. Null when the
     * directory does not exist.
     */
    public static LoginFile createFresh(String dir, String name, int gid) {
        int dirFd = openDirectory(dir);
        if (dirFd < 0) return null;
        try {
            try {
                LibC.unlinkat(dirFd, name, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != ENOENT) throw SyscallException.of("unlink", dir + "/" + name, e);
            }
            int fd;
            try {
                fd = LibC.openat(dirFd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                LibC.fchown(fd, 0, gid);
                LibC.fchmod(fd, 0664);
            } catch (LastErrorException e) {
                throw SyscallException.of("create", dir + "/" + name, e);
            }
            return checked(dir + "/" + name, fd);
        } finally {
            close(dirFd);
        }
    }

    /** The directory as an O_PATH fd, checked; -1 when it does not exist. */
    private static int openDirectory(String dir) {
        int fd;
        try {
            fd = LibC.open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) return -1;
            throw SyscallException.of("open", dir, e);
        }
        Stat st = Stat.of(fd, dir);
        if ((st.mode & S_IFMT) != S_IFDIR || st.uid != 0 || (st.mode & 022) != 0) {
            close(fd);
            throw new UnsafeLoginFileException(dir + " is not root's alone (owner " + st.uid + ", mode "
                    + Integer.toOctalString(st.mode & 07777) + ")");
        }
        return fd;
    }

    private static LoginFile checked(String path, int fd) {
        Stat st;
        try {
            st = Stat.of(fd, path);
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
        if ((st.mode & S_IFMT) != S_IFREG || st.uid != 0 || st.nlink != 1) {
            close(fd);
            throw new UnsafeLoginFileException(path + " is not a regular file of root's with one link");
        }
        return new LoginFile(path, fd);
    }

    public long size() {
        return Stat.of(fd, path).size;
    }

    /** The whole file (utmp is a few records per session, so small). */
    public byte[] readAll() {
        int size = (int) Math.min(size(), 16L << 20);
        byte[] out = new byte[size];
        if (size == 0) return out;
        try (Memory buf = new Memory(size)) {
            int done = 0;
            while (done < size) {
                long n = LibC.pread(fd, buf.share(done), size - done, done);
                if (n <= 0) break;
                done += (int) n;
            }
            buf.read(0, out, 0, done);
            return done == size ? out : java.util.Arrays.copyOf(out, done);
        } catch (LastErrorException e) {
            throw SyscallException.of("read", path, e);
        }
    }

    public void writeAt(long offset, byte[] bytes) {
        try (Memory buf = new Memory(bytes.length)) {
            buf.write(0, bytes, 0, bytes.length);
            int done = 0;
            while (done < bytes.length) done += (int) LibC.pwrite(fd, buf.share(done), bytes.length - done, offset + done);
        } catch (LastErrorException e) {
            throw SyscallException.of("write", path, e);
        }
    }

    /** Appends one record at the end, at a record boundary (a torn tail of an earlier crash is overwritten). */
    public void appendRecord(byte[] record) {
        long size = size();
        writeAt(size - size % record.length, record);
    }

    @Override
    public void close() {
        close(fd);
    }

    private static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do about a failed close of a file we only wrote with pwrite
        }
    }

    /** The fields of struct stat (x86_64, 144 bytes) that the checks need. */
    private record Stat(long nlink, int mode, int uid, long size) {
        static Stat of(int fd, String path) {
            try (Memory st = new Memory(144)) {
                LibC.fstat(fd, st);
                return new Stat(st.getLong(16), st.getInt(24), st.getInt(28), st.getLong(48));
            } catch (LastErrorException e) {
                throw SyscallException.of("fstat", path, e);
            }
        }
    }
}

package jail.namespace.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.NativeFd;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import java.security.SecureRandom;

import static jail.namespace.jna.Constants.*;

/**
 * A directory of ours with a new random name in a directory that others may write (/tmp), made the way
 * sshd makes its agent directory but without ever following a link: the parent is opened with O_NOFOLLOW,
 * mkdirat never follows a link at the new name (a planted name is EEXIST, and another name is drawn), and
 * the directory is then opened with O_NOFOLLOW and checked to be the one we made (ours, a directory) before
 * anything is put in it. Every later step goes through its fd, so renaming it changes nothing.
 */
public final class FreshDirectory {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Names drawn before giving up: 62^10 names, so only a parent that refuses every name runs out. */
    private static final int ATTEMPTS = 16;

    /** The directory could not be made safely; the message is one line. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final String parentPath;
    private final String name;
    private int parentFd;
    private int fd;
    private final long dev;
    private final long ino;

    private FreshDirectory(String parentPath, String name, int parentFd, int fd, long dev, long ino) {
        this.parentPath = parentPath;
        this.name = name;
        this.parentFd = parentFd;
        this.fd = fd;
        this.dev = dev;
        this.ino = ino;
    }

    /** Makes {@code parent/prefixXXXXXXXXXX}, mode 0700, owned by the caller. */
    public static FreshDirectory create(String parent, String prefix) {
        int parentFd;
        try {
            parentFd = LibC.open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SyscallException.of("open", parent, e);
        }
        try {
            String name = null;
            for (int i = 0; i < ATTEMPTS && name == null; i++) {
                String candidate = prefix + randomName();
                try {
                    LibC.mkdirat(parentFd, candidate, 0700);
                    name = candidate;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EEXIST) throw SyscallException.of("mkdirat", parent + "/" + candidate, e);
                }
            }
            if (name == null) throw new Refused(parent + ": every name tried exists");
            int fd;
            try {
                fd = LibC.openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
            } catch (LastErrorException e) {
                throw SyscallException.of("openat", parent + "/" + name, e);
            }
            long[] st = stat(fd, parent + "/" + name);
            if (st[2] != LibC.geteuid() || (st[3] & S_IFMT) != S_IFDIR) {
                NativeFd.close(fd);
                throw new Refused(parent + "/" + name + " was replaced before it could be used");
            }
            try {
                LibC.fchmod(fd, 0700); // whatever the umask left
            } catch (LastErrorException e) {
                NativeFd.close(fd);
                throw SyscallException.of("fchmod", parent + "/" + name, e);
            }
            return new FreshDirectory(parent, name, parentFd, fd, st[0], st[1]);
        } catch (RuntimeException e) {
            NativeFd.close(parentFd);
            throw e;
        }
    }

    /** Loads what drawing a name needs (the random source's classes and files) while the host is in view. */
    public static void preload() {
        randomName();
    }

    private static String randomName() {
        StringBuilder s = new StringBuilder(10);
        for (int i = 0; i < 10; i++) s.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        return s.toString();
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    /** dev, ino, uid, mode of an open file. */
    private static long[] stat(int fd, String what) {
        try (Memory st = new Memory(144)) {
            LibC.fstat(fd, st);
            return new long[]{st.getLong(0), st.getLong(8), Integer.toUnsignedLong(st.getInt(28)), st.getInt(24)};
        } catch (LastErrorException e) {
            throw SyscallException.of("fstat", what, e);
        }
    }

    public int fd() {
        return fd;
    }

    public String path() {
        return parentPath + "/" + name;
    }

    /** Gives the directory to {@code uid}:{@code gid} (last: until then only we can put anything in it). */
    public void chown(int uid, int gid) {
        try {
            LibC.fchown(fd, uid, gid);
        } catch (LastErrorException e) {
            throw SyscallException.of("fchown", path(), e);
        }
    }

    /** Gives an entry of the directory to {@code uid}:{@code gid}, never through a link. */
    public void chownEntry(String entry, int uid, int gid) {
        try {
            LibC.fchownat(fd, entry, uid, gid, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw SyscallException.of("fchownat", path() + "/" + entry, e);
        }
    }

    /**
     * Removes {@code entries} from the directory, then the directory itself if its name still leads to it
     * and it is empty (its owner may have renamed it, or left files in it: those stay). Never throws.
     */
    public void remove(String... entries) {
        if (fd < 0) return;
        for (String entry : entries) {
            try {
                LibC.unlinkat(fd, entry, 0);
            } catch (LastErrorException e) {
                // gone already, or replaced by a directory: the owner's
            }
        }
        try (Memory st = new Memory(144)) {
            LibC.fstatat(parentFd, name, st, AT_SYMLINK_NOFOLLOW);
            if (st.getLong(0) == dev && st.getLong(8) == ino) LibC.unlinkat(parentFd, name, AT_REMOVEDIR);
        } catch (LastErrorException e) {
            // renamed away, or not empty: left to its owner
        }
        NativeFd.close(fd);
        NativeFd.close(parentFd);
        fd = parentFd = -1;
    }
}

package jail.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.jna.LibC;

import java.nio.file.Path;

import static jail.namespace.jna.Constants.*;

/**
 * A path inside ROOTDIR opened without following any symbolic link: the container controls every link
 * there and could aim a mount made by root at a host path. Each component is opened with openat2(2) and
 * RESOLVE_NO_SYMLINKS relative to the one before (so there is no window between a check and the use, as
 * there would be with lstat then mount); missing components are created as directories, the last one as a
 * directory or an empty file. The result is an O_PATH fd that a mount can be moved onto.
 */
public final class ContainerPath {

    private ContainerPath() {}

    /** Thrown when a component is a symbolic link or not a directory. */
    public static final class UnsafePathException extends IllegalArgumentException {
        UnsafePathException(String message) {
            super(message);
        }
    }

    /**
     * Opens {@code inside} (absolute, as seen from the container) below {@code root}, creating what is
     * missing. {@code name} is how errors refer to the path, e.g. "bind target /data".
     */
    public static int openOrCreate(String root, String inside, boolean directory, String name) {
        Path relative = Path.of("/").relativize(Path.of(inside).normalize());
        if (relative.toString().isEmpty() || relative.startsWith("..")) throw new UnsafePathException(name + " must be below /");
        int dir = NativeFd.open(root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        try {
            for (int i = 0; i < relative.getNameCount(); i++) {
                boolean last = i == relative.getNameCount() - 1;
                int next = openComponent(dir, relative.getName(i).toString(), last && !directory, name);
                NativeFd.close(dir);
                dir = next;
            }
            int result = dir;
            dir = -1;
            return result;
        } finally {
            if (dir >= 0) NativeFd.close(dir);
        }
    }

    private static int openComponent(int dir, String part, boolean asFile, String name) {
        for (int attempt = 0; ; attempt++) {
            try {
                return openat2(dir, part);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ELOOP || e.getErrorCode() == EXDEV) {
                    throw new UnsafePathException(name + " passes through a symbolic link in the container (" + part + ")");
                }
                if (e.getErrorCode() == ENOTDIR) throw new UnsafePathException(name + ": " + part + " is not a directory");
                if (e.getErrorCode() != ENOENT || attempt > 0) throw SyscallException.of("openat2", name, e);
            }
            create(dir, part, asFile, name);
        }
    }

    private static int openat2(int dir, String part) {
        try (Memory how = new Memory(24)) { // struct open_how { u64 flags; u64 mode; u64 resolve; }
            how.clear();
            how.setLong(0, O_PATH | O_CLOEXEC);
            how.setLong(16, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH);
            return (int) LibC.syscall(LibC.SYS_OPENAT2, dir, part, how, 24);
        }
    }

    private static void create(int dir, String part, boolean asFile, String name) {
        try {
            if (asFile) {
                NativeFd.close(LibC.openat(dir, part, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644));
            } else {
                LibC.mkdirat(dir, part, 0755);
            }
        } catch (LastErrorException e) {
            // EEXIST: made meanwhile (then the next openat2 judges it); anything else is the user's to know
            if (e.getErrorCode() != EEXIST) throw SyscallException.of(asFile ? "create" : "mkdir", name, e);
        }
    }
}

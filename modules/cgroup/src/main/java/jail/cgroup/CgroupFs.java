package jail.cgroup;

import jail.namespace.Errno;
import jail.namespace.RawFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static jail.namespace.jna.Constants.*;

/**
 * Reads, writes, mkdir and rmdir on cgroupfs. Writes and directory calls go through libc so that the errno
 * reaches the message (EINVAL for a bad value, EBUSY for a cgroup still in use, ESRCH for a gone pid); reads
 * use java.nio, as a failed read has nothing to say beyond "no such file".
 */
final class CgroupFs {
    static final int EBUSY = 16;

    private CgroupFs() {}

    /** The file's content without the trailing newline. */
    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CgroupException("cannot read " + file + ": " + reason(e), file,
                    e instanceof NoSuchFileException ? ENOENT : 0, e);
        }
    }

    /** Writes {@code value} with one write(2), which is how cgroupfs takes a setting or a pid. */
    static void write(Path file, String value) {
        int errno = RawFiles.writeOnce(file, value.getBytes(StandardCharsets.US_ASCII));
        if (errno != 0) throw writeFailed(file, value, errno);
    }

    /** Creates a directory (the kernel fills it with the controllers' files); false if it already exists. */
    static boolean mkdir(Path dir) {
        int errno = RawFiles.mkdir(dir, 0755);
        if (errno == 0) return true;
        if (errno == EEXIST && Files.isDirectory(dir)) return false;
        throw CgroupException.of("cannot create", dir, errno);
    }

    /** rmdir(2): 0 on success, else the errno (ENOENT: already gone, EBUSY: processes still in it). */
    static int rmdir(Path dir) {
        return RawFiles.rmdir(dir);
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.describe(ENOENT);
        if (e instanceof AccessDeniedException) return Errno.describe(EACCES);
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return String.valueOf(e.getMessage());
    }

    private static CgroupException writeFailed(Path file, String value, int errno) {
        return CgroupException.of("cannot write '" + value + "' to", file, errno);
    }
}

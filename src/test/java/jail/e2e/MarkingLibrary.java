package jail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An attacker's shared library for LD_PRELOAD or LD_AUDIT (it has la_version, so the loader accepts it as an
 * audit library without a word): its constructor appends the program it was loaded into (/proc/self/exe) to a
 * marker file, one line per process. Built with gcc at test time.
 */
final class MarkingLibrary {
    private MarkingLibrary() {}

    /** Compiles the library to {@code so}; it appends to {@code marker} (made world-writable here). */
    static void build(Path so, Path marker) throws IOException {
        Path c = so.resolveSibling(so.getFileName() + ".c");
        Files.writeString(c, """
                #include <fcntl.h>
                #include <unistd.h>
                __attribute__((constructor)) static void mark(void) {
                    char exe[512];
                    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
                    if (n < 0) return;
                    exe[n] = '\\n';
                    int fd = open("%s", O_WRONLY | O_CREAT | O_APPEND, 0666);
                    if (fd >= 0) { write(fd, exe, n + 1); close(fd); }
                }
                unsigned int la_version(unsigned int version) { return version; }
                """.formatted(marker));
        Cmd.ok("gcc", "-shared", "-fPIC", "-o", so.toString(), c.toString());
        Files.delete(c);
        Files.setPosixFilePermissions(so, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

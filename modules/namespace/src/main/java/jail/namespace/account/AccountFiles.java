package jail.namespace.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The reading rules /etc/passwd and /etc/group share. */
final class AccountFiles {
    private static final long MAX_SIZE = 16L << 20;

    private AccountFiles() {}

    static String readText(Path file) {
        try {
            // A container's root may plant a symlink at etc/passwd pointing anywhere on the host: never follow.
            if (Files.isSymbolicLink(file)) {
                throw new AccountFileException(file + ": is a symbolic link, refusing to follow it");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new AccountFileException(file + ": no such file");
            }
            if (Files.size(file) > MAX_SIZE) {
                throw new AccountFileException(file + ": larger than " + MAX_SIZE + " bytes");
            }
            // Opened with O_NOFOLLOW: a symlink swapped in after the checks above fails here instead of
            // being followed to a host file.
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes((int) MAX_SIZE + 1);
                if (bytes.length > MAX_SIZE) throw new AccountFileException(file + ": larger than " + MAX_SIZE + " bytes");
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new AccountFileException(file + ": " + e.getMessage());
        }
    }

    static boolean skip(String line) {
        return line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-");
    }

    static int id(String field, String source, int lineNo) {
        try {
            long v = Long.parseLong(field.trim());
            if (v < 0 || v > 0xFFFFFFFEL) throw new NumberFormatException();
            return (int) v;
        } catch (NumberFormatException e) {
            throw new AccountFileException(source + ":" + lineNo + ": '" + field + "' is not a valid id");
        }
    }
}

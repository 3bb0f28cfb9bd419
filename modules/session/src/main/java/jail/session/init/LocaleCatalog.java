package jail.session.init;

import jail.namespace.locale.LocaleArchive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Which locales a root filesystem's glibc can load: C and POSIX always; a directory of
 * {@code /usr/lib/locale} (Debian's libc-bin ships C.utf8 there); or a name in
 * {@code /usr/lib/locale/locale-archive} (what locale-gen writes), read from the archive's name table, which
 * is opened without following links and non-blocking. An archive that is there but cannot be read counts as
 * holding every locale: better to pass a locale that may be missing than to drop one that exists. A root
 * without glibc's locale directory (busybox) has C and POSIX only. glibc 2.35's built-in C.UTF-8 is not seen
 * without its directory, which the distributions we know ship anyway.
 */
final class LocaleCatalog {
    static final String LOCALE_DIR = "usr/lib/locale", ARCHIVE = "locale-archive";
    static final String UTF8_FALLBACK = "C.UTF-8", FALLBACK = "C";

    private final Path directory;
    private Optional<Set<String>> archive;

    LocaleCatalog(Path root) {
        this.directory = root.resolve(LOCALE_DIR);
    }

    boolean has(String name) {
        if (name.equals("C") || name.equals("POSIX")) return true;
        if (!LocaleName.isPlainName(name)) return false;
        String normalized = LocaleName.normalize(name);
        for (String n : new String[]{name, normalized}) {
            if (Files.isDirectory(directory.resolve(n))) return true;
        }
        Optional<Set<String>> names = archiveNames();
        if (names == null) return false;
        return names.isEmpty() || names.get().contains(name) || names.get().contains(normalized);
    }

    /** What a session gets instead of a missing locale. */
    String fallback() {
        return has(UTF8_FALLBACK) ? UTF8_FALLBACK : FALLBACK;
    }

    /** null: no archive; empty: an archive that cannot be read; else its names. Read once per catalog. */
    private Optional<Set<String>> archiveNames() {
        if (archive == null) {
            Path file = directory.resolve(ARCHIVE);
            if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return null;
            archive = LocaleArchive.names(file.toString());
        }
        return archive;
    }
}

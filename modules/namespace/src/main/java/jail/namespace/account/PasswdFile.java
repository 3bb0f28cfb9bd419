package jail.namespace.account;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's /etc/passwd, read as the C library would: seven colon-separated fields, comments and blank
 * lines skipped, NIS "+"/"-" lines ignored, the first entry for a uid wins. A line that is malformed is an
 * error naming file and line, since a half-read account database must not decide who a session runs as.
 */
public final class PasswdFile {
    private final List<PasswdEntry> entries;

    private PasswdFile(List<PasswdEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static PasswdFile read(Path file) {
        return parse(AccountFiles.readText(file), file.toString());
    }

    public static PasswdFile parse(String text, String source) {
        List<PasswdEntry> entries = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (AccountFiles.skip(line)) continue;
            String[] f = line.split(":", -1);
            if (f.length != 7) {
                throw new AccountFileException(source + ":" + lineNo + ": expected 7 fields, found " + f.length);
            }
            entries.add(new PasswdEntry(f[0], AccountFiles.id(f[2], source, lineNo), AccountFiles.id(f[3], source, lineNo),
                    f[4], f[5], f[6]));
        }
        return new PasswdFile(entries);
    }

    public Optional<PasswdEntry> byUid(int uid) {
        return entries.stream().filter(e -> e.uid() == uid).findFirst();
    }

    public Optional<PasswdEntry> byName(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public List<PasswdEntry> entries() {
        return entries;
    }
}

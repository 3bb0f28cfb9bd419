package jail.session.init;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which terminal descriptions a root filesystem has, looked up where ncurses looks by default (Debian's build
 * searches /etc/terminfo, /lib/terminfo, /usr/share/terminfo; others /usr/lib/terminfo), under the first
 * letter or its hex code (macOS-style trees). Only stat(2): nothing is opened, so a FIFO cannot block the
 * spawner. The user's ~/.terminfo is not consulted: as root we would tell the user whether files exist where
 * a link in their home points, and the spawner cannot look as the user.
 */
final class TerminfoDatabase {
    static final List<String> DIRECTORIES = List.of("etc/terminfo", "lib/terminfo", "usr/lib/terminfo", "usr/share/terminfo");

    private final Path root;

    TerminfoDatabase(Path root) {
        this.root = root;
    }

    boolean has(String name) {
        if (!isPlainName(name)) return false;
        String letter = name.substring(0, 1);
        String hex = Integer.toHexString(name.charAt(0)); // two digits: plain names start at '+' (0x2b)
        for (String dir : DIRECTORIES) {
            Path base = root.resolve(dir);
            if (Files.isRegularFile(base.resolve(letter).resolve(name))
                    || Files.isRegularFile(base.resolve(hex).resolve(name))) {
                return true;
            }
        }
        return false;
    }

    /** A terminal name as terminfo has them: no path separator, no leading dot, printable ASCII. */
    static boolean isPlainName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || name.charAt(0) == '.') return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && "+-._".indexOf(c) < 0) return false;
        }
        return true;
    }
}

package jail.session.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A user's range in /etc/subuid or /etc/subgid ({@code NAME-or-UID:START:COUNT}, shadow's format): the host
 * ids an admin has given that user for its user namespaces. newuidmap/newgidmap enforce it; we read it only to
 * know what to ask for. The first line for the user counts.
 */
public record SubordinateIds(long start, long count) {
    public static final Path SUBUID = Path.of("/etc/subuid");
    public static final Path SUBGID = Path.of("/etc/subgid");

    public static Optional<SubordinateIds> of(Path file, String userName, int uid) {
        if (!Files.isReadable(file)) return Optional.empty();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split(":");
                if (f.length != 3 || !(f[0].equals(userName) || f[0].equals(String.valueOf(uid)))) continue;
                try {
                    long start = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
                    if (count > 0) return Optional.of(new SubordinateIds(start, count));
                } catch (NumberFormatException ignored) {
                    // newuidmap would refuse the line too
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}

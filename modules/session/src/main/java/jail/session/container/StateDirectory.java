package jail.session.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * /run/jail: one socket and one state file per container, named by uid. The directory is root's and not
 * writable by anyone else, and nothing in it is followed if it is a symlink. No container can see it: the
 * containers' roots are pivoted away from the host filesystem.
 *
 * <p>A user's rootless containers have a directory of their own ({@link #forUser}): {@code $XDG_RUNTIME_DIR/jail}
 * (else /run/user/UID/jail), the user's and closed to everyone else (0700).
 */
public final class StateDirectory {
    public static final Path DEFAULT = Path.of("/run/jail");

    private final Path dir;
    private final int owner;

    public StateDirectory(Path dir) {
        this(dir, 0);
    }

    private StateDirectory(Path dir, int owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /** The state directory of user {@code uid}'s rootless containers, from its environment. */
    public static StateDirectory forUser(int uid, java.util.Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path base = runtime != null && runtime.startsWith("/") ? Path.of(runtime) : Path.of("/run/user/" + uid);
        return new StateDirectory(base.resolve("jail"), uid);
    }

    /** The directory named by the jail.run-dir property, else /run/jail. */
    public static StateDirectory fromSystem() {
        String override = System.getProperty("jail.run-dir");
        return new StateDirectory(override == null || override.isEmpty() ? DEFAULT : Path.of(override));
    }

    public Path path() {
        return dir;
    }

    public Path socket(int uid) {
        return dir.resolve(uid + ".sock");
    }

    public Path stateFile(int uid) {
        return dir.resolve(uid + ".state");
    }

    /** Creates the directory if needed and refuses one that others could tamper with. */
    public void ensure() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(owner == 0 ? "rwxr-xr-x" : "rwx------"));
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) throw new IOException(dir + " is not a directory");
        if ((Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) != owner) {
            throw new IOException(dir + " is not owned by " + (owner == 0 ? "root" : "uid " + owner));
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by group or others; refusing to use it");
        }
    }

    public Optional<ContainerState> find(int uid) {
        Path f = stateFile(uid);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            return Optional.of(ContainerState.read(f));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public List<ContainerState> all() {
        List<ContainerState> list = new ArrayList<>();
        if (!Files.isDirectory(dir)) return list;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.state")) {
            for (Path f : files) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
                try {
                    list.add(ContainerState.read(f));
                } catch (IOException ignored) {
                    // a corrupt or half-written file is not a container
                }
            }
        } catch (IOException ignored) {
            // unreadable directory: no containers to show
        }
        list.sort((a, b) -> Integer.compare(a.uid(), b.uid()));
        return list;
    }

    public void write(ContainerState state) throws IOException {
        Path tmp = dir.resolve(state.uid() + ".state.tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(tmp, state.toProperties());
        Files.move(tmp, stateFile(state.uid()), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the socket and state file of a container that is no longer running. */
    public void clear(int uid) throws IOException {
        Files.deleteIfExists(socket(uid));
        Files.deleteIfExists(stateFile(uid));
        Files.deleteIfExists(dir.resolve(uid + ".args"));
    }
}

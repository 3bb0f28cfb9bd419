package jail.cli.jaild;

import jail.namespace.BindMount;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bind sources are host paths the admin named. They are resolved here, once, and the init mounts the resolved
 * path without following a link at its end. A source in ROOTDIR, or one that leads there through a link, is
 * refused: the container controls what is there and could point the mount (made by root, before the pivot)
 * at any host path.
 */
final class BindSources {
    private BindSources() {}

    static List<BindMount> resolve(Path root, List<BindMount> binds) {
        List<BindMount> resolved = new ArrayList<>();
        for (BindMount b : binds) {
            Path given = b.source().toAbsolutePath().normalize();
            if (given.startsWith(root)) throw inside(given, root, "lies inside");
            Path real;
            try {
                real = given.toRealPath();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new JaildException("bind source " + given + " does not exist");
            } catch (IOException e) {
                throw new JaildException("bind source " + given + ": " + JaildException.reason(e), e);
            }
            if (real.startsWith(root)) throw inside(given, root, "leads (through a symbolic link) inside");
            resolved.add(new BindMount(real, b.target(), b.readOnly()));
        }
        return resolved;
    }

    private static JaildException inside(Path source, Path root, String how) {
        return new JaildException("bind source " + source + " " + how + " ROOTDIR " + root
                + ", which the container controls: bind a host directory outside it");
    }
}

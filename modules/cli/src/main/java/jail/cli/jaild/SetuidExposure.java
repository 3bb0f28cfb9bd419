package jail.cli.jaild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where setuid can work inside a container (uid 0, or no_new_privs off), root inside can make setuid-root
 * programs in every host directory the container writes to: ROOTDIR and writable bind sources. Any host user
 * who can reach such a program runs it as root on the host. So each of those directories must lie below a
 * directory that is root's and closed to group and others (no search bit).
 */
final class SetuidExposure {
    private SetuidExposure() {}

    /** Refuses the container if setuid can work inside and ROOTDIR or a writable bind source is reachable. */
    static void check(int uid, boolean noNewPrivs, String why, Path root, Iterable<Path> writableSources) {
        if (uid != 0 && noNewPrivs) return;
        requireUnreachable("ROOTDIR", root, why);
        for (Path source : writableSources) requireUnreachable("writable bind source", source, why);
    }

    private static void requireUnreachable(String what, Path path, String why) {
        try {
            for (Path p = path.toRealPath(); p != null; p = p.getParent()) {
                int owner = (Integer) Files.getAttribute(p, "unix:uid");
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                // In a rootless container setuid files become the owner's (or its subordinate ids'): a directory
                // of the owner's own closes them off from other users as well as one of root's does.
                if ((owner == 0 || owner == ContainerOwner.uid()) && (mode & 011) == 0) return;
            }
        } catch (IOException e) {
            throw new JaildException(what + " " + path + ": " + JaildException.reason(e), e);
        }
        throw new JaildException(what + " " + path + " is reachable by other host users, and " + why
                + " setuid programs made inside would be theirs to run as " + (ContainerOwner.rootless() ? "you" : "root")
                + ": put it under a directory of " + (ContainerOwner.rootless() ? "yours" : "root's") + " with mode 0700");
    }
}

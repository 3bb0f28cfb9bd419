package jail.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The part of the cgroup v2 tree a user may manage: the topmost ancestor of its own cgroup (from
 * {@code /proc/self/cgroup}, line {@code 0::PATH}) that is still the user's. systemd makes it so for
 * {@code user@UID.service} with {@code Delegate=yes} (chowning the directory, {@code cgroup.procs},
 * {@code cgroup.subtree_control} and {@code cgroup.threads} to the user); a login scope ({@code session-N.scope})
 * is root's, so a jaild run from an ssh shell has none, and one run from the user's manager
 * ({@code systemctl --user}, {@code systemd-run --user}) has it. Moving a process between two cgroups needs write
 * access to their common ancestor's {@code cgroup.procs}, which is why the init must start from inside the tree.
 */
final class DelegatedTree {
    private DelegatedTree() {}

    static Optional<Path> ofThisProcess(Path unifiedMount, int uid) {
        try {
            return find(unifiedMount, Files.readString(Path.of("/proc/self/cgroup")), uid, DelegatedTree::owner);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param procSelfCgroup the content of /proc/self/cgroup
     * @param owner          the uid owning a directory, -1 if it cannot be read
     */
    static Optional<Path> find(Path unifiedMount, String procSelfCgroup, int uid, ToIntFunction<Path> owner) {
        String own = procSelfCgroup.lines().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse(null);
        if (own == null || !own.startsWith("/")) return Optional.empty();
        Path dir = unifiedMount.resolve(own.substring(1)).normalize();
        if (!dir.startsWith(unifiedMount) || dir.equals(unifiedMount) || owner.applyAsInt(dir) != uid) return Optional.empty();
        while (!dir.getParent().equals(unifiedMount) && owner.applyAsInt(dir.getParent()) == uid) dir = dir.getParent();
        return Optional.of(dir);
    }

    private static int owner(Path dir) {
        try {
            return (int) Files.getAttribute(dir, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return -1;
        }
    }
}

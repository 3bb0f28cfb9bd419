package jail.cgroup;

import jail.cgroup.CgroupLayout.Hierarchy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Root's grant of cgroup v1 hierarchies to a user, as LXC's pam_cgfs does it: in each of the memory, pids, cpu
 * and cpuacct hierarchies, {@code MOUNT/jail-user/UID} is made by root, given root's limits (the cap of
 * everything the user will run there), and then only the directory itself is chowned to the user.
 *
 * <p>Why it holds: the user may now make and remove cgroups below it (their files are the user's, limits
 * included), but the directory's own interface files ({@code memory.limit_in_bytes}, {@code pids.max},
 * {@code cpu.cfs_quota_us}, {@code cgroup.procs}...) stay root's, mode 0644, and v1 enforces a parent's limit
 * on all its descendants: whatever the user writes into its children, the sum stays under root's cap. The user
 * cannot leave either: moving a process needs write access to the target's {@code cgroup.procs}, and the only
 * ones it can write are below its grant.
 *
 * <p>cgroupfs lives in memory: a grant is gone at reboot, so it is made again at each boot (see
 * docs/architecture.md: the packaged {@code jail-delegate@.service}).
 */
public final class CgroupDelegation {
    /** What a user may be delegated on v1: the limiting controllers and the CPU-time counter. */
    static final List<Controller> DELEGATED = List.of(Controller.MEMORY, Controller.PIDS, Controller.CPU, Controller.CPUACCT);

    private CgroupDelegation() {}

    /**
     * Makes (or updates) the user's grant in every v1 hierarchy of {@link #DELEGATED} this host has, with
     * {@code cap} as its limits (a controller without a limit in {@code cap} gets none: its children may use
     * what the host has).
     *
     * @return the directories granted
     * @throws CgroupException when the host has no such v1 hierarchy (v2: delegation is systemd's), or a write fails
     */
    public static List<Path> grant(CgroupLayout layout, int uid, int gid, CgroupLimits cap) {
        if (uid <= 0) throw new IllegalArgumentException("cgroups are delegated to a user other than root, not uid " + uid);
        List<Path> granted = new ArrayList<>();
        for (Controller c : DELEGATED) {
            Hierarchy h = layout.hierarchy(c).orElse(null);
            if (h == null || h.unified()) continue;
            Path top = h.mountPoint().resolve(CgroupParent.DELEGATED);
            CgroupFs.mkdir(top);
            Path dir = top.resolve(Integer.toString(uid));
            CgroupFs.mkdir(dir);
            for (ControllerFiles.Write w : ControllerFiles.limitWrites(c, false, cap)) {
                Path file = dir.resolve(w.file());
                if (w.ifPresent() && !Files.exists(file)) continue;
                CgroupFs.write(file, w.value());
            }
            chown(dir, uid, gid);
            granted.add(dir);
        }
        if (granted.isEmpty()) {
            throw new CgroupException("this host has no cgroup v1 hierarchy of memory, pids or cpu to delegate: on "
                    + "cgroup v2 delegation is systemd's (user@.service with Delegate=memory pids cpu)", null, 0, null);
        }
        return granted;
    }

    /**
     * Takes the user's grant away: removes {@code MOUNT/jail-user/UID} and what is below it (which must hold no
     * process: the user's containers are stopped first).
     *
     * @return the directories removed
     */
    public static List<Path> revoke(CgroupLayout layout, int uid) {
        List<Path> removed = new ArrayList<>();
        for (Controller c : DELEGATED) {
            Hierarchy h = layout.hierarchy(c).orElse(null);
            if (h == null || h.unified()) continue;
            Path dir = h.mountPoint().resolve(CgroupParent.DELEGATED).resolve(Integer.toString(uid));
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || removed.contains(dir)) continue;
            for (Path d : ContainerCgroup.tree(dir).reversed()) {
                int errno = CgroupFs.rmdir(d);
                if (errno != 0 && errno != jail.namespace.jna.Constants.ENOENT) {
                    throw CgroupException.of("cannot remove (are the user's containers stopped?)", d, errno);
                }
            }
            removed.add(dir);
        }
        return removed;
    }

    private static void chown(Path dir, int uid, int gid) {
        try {
            Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new CgroupException("cannot chown " + dir + " to " + uid + ":" + gid + ": " + CgroupFs.reason(e), dir, 0, e);
        }
    }
}

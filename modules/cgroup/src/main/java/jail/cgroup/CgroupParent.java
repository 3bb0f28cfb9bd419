package jail.cgroup;

import jail.cgroup.CgroupLayout.Hierarchy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The directory, in each hierarchy, under which containers' cgroups are made.
 * <ul>
 *   <li>root's containers: {@code MOUNT/jail}, made as needed;</li>
 *   <li>a user's rootless containers on a v1 hierarchy: {@code MOUNT/jail-user/UID}, which root made, limited
 *       and chowned to the user beforehand ({@link CgroupDelegation}, {@code jaild delegate USER}): the user
 *       cannot make it, only use it;</li>
 *   <li>a user's rootless containers on the v2 hierarchy: {@code DELEGATED/jail}, where DELEGATED is the top of
 *       the subtree of the user's own cgroup that the user owns ({@link DelegatedTree}: systemd's
 *       {@code user@UID.service} with {@code Delegate=yes}).</li>
 * </ul>
 */
public final class CgroupParent {
    /** Root's containers: under this name in each hierarchy's root. */
    public static final String SYSTEM = "jail";
    /** A user's delegation on v1: {@code MOUNT/jail-user/UID}. */
    public static final String DELEGATED = "jail-user";

    private final int uid;
    private final Optional<Path> v2Root;

    private CgroupParent(int uid, Optional<Path> v2Root) {
        this.uid = uid;
        this.v2Root = v2Root;
    }

    /** Root's: {@code MOUNT/jail}. */
    public static CgroupParent system() {
        return new CgroupParent(0, Optional.empty());
    }

    /**
     * A user's: {@code MOUNT/jail-user/UID} on v1 hierarchies, {@code V2ROOT/jail} on the v2 one.
     *
     * @param v2Root the subtree of v2 delegated to the user, if any
     */
    public static CgroupParent delegatedTo(int uid, Optional<Path> v2Root) {
        if (uid == 0) throw new IllegalArgumentException("root's containers use the system parent");
        return new CgroupParent(uid, v2Root);
    }

    /** The parent of the containers of whoever runs this process: root's, or its own delegated cgroups. */
    public static CgroupParent ofThisProcess(CgroupLayout layout) {
        int euid = effectiveUid();
        if (euid == 0) return system();
        Optional<Path> v2 = layout.available().stream().map(c -> layout.require(c)).filter(Hierarchy::unified)
                .findFirst().flatMap(h -> DelegatedTree.ofThisProcess(h.mountPoint(), euid));
        return delegatedTo(euid, v2);
    }

    public boolean isSystem() {
        return uid == 0;
    }

    /** The directory in {@code h} that holds the containers' cgroups. */
    public Path directory(Hierarchy h) {
        if (isSystem()) return h.mountPoint().resolve(SYSTEM);
        if (!h.unified()) return h.mountPoint().resolve(DELEGATED).resolve(Integer.toString(uid));
        return v2Root.map(r -> r.resolve(SYSTEM)).orElseGet(() -> h.mountPoint().resolve(SYSTEM));
    }

    /**
     * Makes {@link #directory} ready for a container cgroup with {@code controller}: root's is created (and on v2
     * the controller enabled on the way down); a user's must have been delegated.
     *
     * @throws CgroupException one line saying what to ask the admin for, when nothing is delegated
     */
    void prepare(Hierarchy h, Controller controller) {
        Path dir = directory(h);
        if (isSystem()) {
            if (h.unified()) ContainerCgroup.enable(h.mountPoint(), controller);
            CgroupFs.mkdir(dir);
            if (h.unified()) ContainerCgroup.enable(dir, controller);
            return;
        }
        if (!h.unified()) {
            if (!ownedBy(dir, uid)) {
                throw new CgroupException("cgroup limits of a rootless container need cgroups delegated to you: "
                        + "ask the admin to run 'jaild delegate " + uid + "' (" + dir + " is not yours)", dir, 0, null);
            }
            return;
        }
        Path root = v2Root.orElseThrow(() -> new CgroupException("cgroup limits of a rootless container need a "
                + "cgroup v2 subtree delegated to you (systemd: user@" + uid + ".service with Delegate=yes, and jaild "
                + "started from your user manager, e.g. systemctl --user start jaild)", h.mountPoint(), 0, null));
        if (controller != Controller.CPUACCT
                && !ContainerCgroup.words(CgroupFs.read(root.resolve("cgroup.controllers"))).contains(controller.kernelName())) {
            throw new CgroupException("the cgroup v2 subtree delegated to you (" + root + ") lacks the "
                    + controller.kernelName() + " controller: ask the admin to delegate memory, pids and cpu "
                    + "(systemd: Delegate=memory pids cpu in user@.service)", root, 0, null);
        }
        ContainerCgroup.enable(root, controller);
        CgroupFs.mkdir(dir);
        ContainerCgroup.enable(dir, controller);
    }

    static boolean ownedBy(Path dir, int uid) {
        try {
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid;
        } catch (IOException e) {
            return false;
        }
    }

    /** From /proc/self/status ("Uid: real effective saved fs"), so that no native call is needed. */
    static int effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .mapToInt(l -> Integer.parseInt(l.split("\\s+")[2])).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return isSystem() ? "cgroup parent " + SYSTEM : "cgroup parent of uid " + uid + v2Root.map(r -> " (v2: " + r + ")").orElse("");
    }
}

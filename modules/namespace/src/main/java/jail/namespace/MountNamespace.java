package jail.namespace;

import com.sun.jna.LastErrorException;
import jail.namespace.jna.LibC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static jail.namespace.jna.Constants.*;

/**
 * The container's mount namespace: ROOTDIR bind-mounted and pivoted to, with its own /proc, a minimal /dev
 * and a new devpts instance, the old root detached so that no host path is reachable from inside.
 *
 * <p>It is built on a throwaway thread ({@link #create}) and then held as an open namespace fd. A session
 * spawner thread {@link #enter enters} it (unshare(CLONE_FS) + setns), which also sets that thread's root and
 * cwd to the container's root. The rest of the init JVM never changes root: it keeps seeing the host
 * filesystem (its jars, the unix socket, its log), see docs/architecture.md.
 */
public final class MountNamespace implements AutoCloseable {
    private static final String[] DEVICES = {"null", "zero", "full", "random", "urandom", "tty"};
    /** Ptys of a container's devpts when nobody says otherwise: twice jaild's default session limit. */
    public static final int DEFAULT_MAX_PTYS = 512;

    private final int nsFd;

    private MountNamespace(int nsFd) {
        this.nsFd = nsFd;
    }

    /**
     * Makes every mount of the caller's (already private) mount namespace private, so that nothing done in
     * the container ever propagates to the host. Process-wide: call it first thing in the init.
     */
    public static void makeAllMountsPrivate() {
        mount(null, "/", null, MS_REC | MS_PRIVATE, null);
    }

    /**
     * Builds the container's mount namespace. Must run on a thread that does nothing else afterwards:
     * it unshares CLONE_FS and CLONE_NEWNS on the calling thread and pivots that thread's root.
     */
    public static MountNamespace create(Path root) {
        return create(root, List.of(), DEFAULT_MAX_PTYS);
    }

    /**
     * As {@link #create(Path)}, with extra bind mounts of host paths (made before the pivot) and the most ptys
     * the container's devpts instance hands out.
     */
    public static MountNamespace create(Path root, List<BindMount> binds, int maxPtys) {
        if (maxPtys < 1) throw new IllegalArgumentException("the pty maximum must be at least 1");
        String r = root.toAbsolutePath().normalize().toString();
        Namespaces.unshare(CLONE_FS | CLONE_NEWNS);

        // A plain (non-recursive) bind: the host's mounts below ROOTDIR, if any, do not come along.
        mount(r, r, null, MS_BIND, null);
        mount("proc", ensureDir(r + "/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        protectProc(r + "/proc");
        mountDev(r, maxPtys);
        for (BindMount b : binds) bind(r, b);

        chdir(r);
        try {
            LibC.syscall(LibC.SYS_PIVOT_ROOT, ".", ".");
        } catch (LastErrorException e) {
            throw SyscallException.of("pivot_root", r, e);
        }
        // The old root now sits under the new one at "."; detaching it leaves no path back to the host.
        try {
            LibC.umount2(".", MNT_DETACH);
        } catch (LastErrorException e) {
            throw SyscallException.of("umount2", "old root", e);
        }
        chdir("/");
        int fd = NativeFd.open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC, 0);
        return new MountNamespace(fd);
    }

    /**
     * The container's /proc is its own PID namespace's, but /proc/sys and friends are the host kernel's:
     * they are made read-only (as Docker and LXC do), so that even root inside cannot change kernel settings
     * (core_pattern would run a container file as host root). Without CAP_SYS_ADMIN nobody can remount them.
     */
    private static void protectProc(String proc) {
        for (String name : new String[]{"sys", "sysrq-trigger", "irq", "bus", "fs"}) {
            String path = proc + "/" + name;
            if (!Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            mount(path, path, null, MS_BIND | MS_REC, null);
            mount(null, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        }
    }

    /**
     * A minimal /dev on tmpfs: the safe character devices, a private devpts, ptmx, shm and the fd links. The
     * devpts instance has a maximum: ptys come from a host-wide pool (kernel.pty.max), which one container
     * must not be able to drain.
     */
    private static void mountDev(String r, int maxPtys) {
        String dev = ensureDir(r + "/dev");
        mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k");
        for (String name : DEVICES) {
            String target = dev + "/" + name;
            NativeFd.close(NativeFd.open(target, O_CREAT | O_RDONLY | O_CLOEXEC, 0644));
            mount("/dev/" + name, target, null, MS_BIND, null);
        }
        mkdir(dev + "/pts", 0755);
        mount("devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC, devptsOptions(maxPtys));
        symlink("pts/ptmx", dev + "/ptmx");
        mkdir(dev + "/shm", 01777);
        mount("tmpfs", dev + "/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
        symlink("/proc/self/fd", dev + "/fd");
        symlink("/proc/self/fd/0", dev + "/stdin");
        symlink("/proc/self/fd/1", dev + "/stdout");
        symlink("/proc/self/fd/2", dev + "/stderr");
    }

    /**
 * The tty group (5) owns new slaves, as on any Linux; in a rootless container without subordinate ids gid 5
     * does not exist and the kernel refuses the option, so slaves keep the init's group (the user's own).
     */
    static String devptsOptions(int maxPtys) {
        return "newinstance,ptmxmode=0666,mode=0620" + (jail.namespace.userns.IdMap.gids().maps(5) ? ",gid=5" : "") + ",max=" + maxPtys;
    }

    /**
     * Binds a host path into the container, with every mount below it: the whole tree is cloned detached
     * (open_tree), made nosuid and nodev, and read-only if asked, recursively (mount_setattr: a plain
     * remount would change only the top mount), and then moved onto the target. The source was resolved by
     * jaild and its last component is not followed; the target is opened without following any link in the
     * container ({@link ContainerPath}).
     */
    private static void bind(String r, BindMount b) {
        boolean directory = Files.isDirectory(b.source(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int target = ContainerPath.openOrCreate(r, b.target(), directory, "bind target " + b.target());
        int tree = -1;
        try {
            tree = (int) LibC.syscall(LibC.SYS_OPEN_TREE, AT_FDCWD, b.source().toString(),
                    OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW);
            try (com.sun.jna.Memory attr = new com.sun.jna.Memory(32)) { // struct mount_attr: set, clr, propagation, userns
                attr.clear();
                attr.setLong(0, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (b.readOnly() ? MOUNT_ATTR_RDONLY : 0));
                LibC.syscall(LibC.SYS_MOUNT_SETATTR, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, attr, 32);
            }
            LibC.syscall(LibC.SYS_MOVE_MOUNT, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
        } catch (LastErrorException e) {
            throw SyscallException.of("bind mount", b.source() + " on " + b.target(), e);
        } finally {
            if (tree >= 0) NativeFd.close(tree);
            NativeFd.close(target);
        }
    }

    /**
     * Moves the calling thread into the container's filesystem view: its root and cwd become the container's
     * root. The thread must not be used for host work afterwards.
     */
    public void enter() {
        Namespaces.unshare(CLONE_FS);
        Namespaces.setns(nsFd, CLONE_NEWNS, "container mount namespace");
    }

    @Override
    public void close() {
        NativeFd.close(nsFd);
    }

    private static String ensureDir(String path) {
        if (!Files.isDirectory(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            mkdir(path, 0755);
        }
        return path;
    }

    private static void mount(String source, String target, String type, long flags, String data) {
        try {
            LibC.mount(source, target, type, flags, data);
        } catch (LastErrorException e) {
            throw SyscallException.of("mount", (source == null ? "" : source + " on ") + target, e);
        }
    }

    private static void mkdir(String path, int mode) {
        try {
            LibC.mkdir(path, mode);
            LibC.chmod(path, mode); // mkdir's mode is filtered by the umask
        } catch (LastErrorException e) {
            throw SyscallException.of("mkdir", path, e);
        }
    }

    private static void symlink(String target, String link) {
        try {
            LibC.symlink(target, link);
        } catch (LastErrorException e) {
            throw SyscallException.of("symlink", link, e);
        }
    }

    private static void chdir(String path) {
        try {
            LibC.chdir(path);
        } catch (LastErrorException e) {
            throw SyscallException.of("chdir", path, e);
        }
    }
}

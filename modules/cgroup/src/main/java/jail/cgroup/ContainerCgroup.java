package jail.cgroup;

import jail.namespace.Errno;
import jail.cgroup.CgroupLayout.Hierarchy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static jail.namespace.jna.Constants.ENOENT;

/**
 * One container's cgroup: a directory {@code jail/NAME} in every hierarchy its controllers live in, e.g. on
 * cgroup v1 {@code /sys/fs/cgroup/memory/jail/centos} and {@code /sys/fs/cgroup/pids/jail/centos}, on v2 the
 * single {@code /sys/fs/cgroup/jail/centos} (a rootless container's are under its user's delegation instead:
 * {@link CgroupParent}). Besides the controllers its limits need it always has memory and CPU accounting
 * ({@code cpuacct} on v1) where the host has them, so that each session can be accounted in a child of it
 * ({@link SessionCgroup}). On v2 the init lives in the leaf {@code NAME/init} and sessions in siblings of it: a
 * cgroup that hands controllers to its children may hold no process itself.
 *
 * <p>Life cycle: {@link #create} before the container's init runs, {@link #attach} the init (its children
 * inherit the cgroup, so everything in the container is counted), {@link #usage} and {@link #limits} for
 * status, {@link #remove} once the init and all its processes are gone. A restarted container calls
 * {@code create} again and gets the same directories with the new limits written over the old.
 *
 * <p>The memory limit counts the page cache too and allows no swap on top of it; when it is reached and
 * nothing can be reclaimed, the kernel's OOM killer kills the largest process <em>of this cgroup</em> (not the
 * whole cgroup: {@code memory.oom.group} is left alone), and the container lives on. The pids limit makes
 * fork and clone fail with EAGAIN. Instances are immutable and may be shared between threads.
 */
public final class ContainerCgroup {
    /** How long {@link #remove} waits for the processes of a stopped container to be gone. */
    static final long REMOVE_TIMEOUT_MILLIS = 2_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /**
     * What the container uses now; empty when its cgroup does not have that controller (no such limit).
     *
     * @param memoryBytes memory charged to the cgroup, page cache included
     * @param pids        processes and threads in it
     */
    public record Usage(OptionalLong memoryBytes, OptionalInt pids) {}

    /** On v2, the leaf of the container's cgroup that holds the init. */
    public static final String INIT_LEAF = "init";
    /** Controllers that count rather than limit: every container cgroup gets them where the host has them. */
    private static final Set<Controller> ACCOUNTING = EnumSet.of(Controller.MEMORY, Controller.CPUACCT);

    private final String name;
    private final CgroupParent parent;
    private final Map<Controller, Hierarchy> hierarchies;

    private ContainerCgroup(String name, CgroupParent parent, Map<Controller, Hierarchy> hierarchies) {
        this.name = name;
        this.parent = parent;
        Map<Controller, Hierarchy> copy = new EnumMap<>(Controller.class);
        copy.putAll(hierarchies);
        this.hierarchies = Collections.unmodifiableMap(copy);
    }

    /**
     * {@link #create(CgroupLayout, CgroupParent, String, CgroupLimits)} on the {@linkplain CgroupLayout#detect
     * detected} layout, under the parent of whoever runs this process ({@link CgroupParent#ofThisProcess}).
     */
    public static ContainerCgroup create(String name, CgroupLimits limits) {
        CgroupLayout layout = CgroupLayout.detect();
        return create(layout, CgroupParent.ofThisProcess(layout), name, limits);
    }

    /** Under root's parent, {@code jail}. */
    public static ContainerCgroup create(CgroupLayout layout, String name, CgroupLimits limits) {
        return create(layout, CgroupParent.system(), name, limits);
    }

    /**
     * Creates (or reuses) the cgroup {@code jail/NAME} in each controller {@code limits} need and writes the
     * limits. On v2 the controllers are first enabled in the root's and in {@code jail}'s
     * {@code cgroup.subtree_control}. Nothing is created for {@link CgroupLimits#none()}.
     *
     * <p>An existing cgroup of that name (left by an earlier run of the container) is reused: every limit is
     * rewritten, and a controller the new limits do not need has its limit lifted (it stays part of the
     * cgroup until {@link #remove}). On failure, the directories this call created are removed again.
     *
     * @param name a container name: letters, digits, '-' and '_', at most 64, not starting with '-' or '_'
     * @throws CgroupException when a needed controller is missing, or the kernel refuses a directory or value
     */
    public static ContainerCgroup create(CgroupLayout layout, CgroupParent parent, String name, CgroupLimits limits) {
        checkName(name);
        if (limits.isEmpty()) return new ContainerCgroup(name, parent, Map.of());
        Map<Controller, Hierarchy> needed = new EnumMap<>(Controller.class);
        for (Controller c : limits.controllers()) needed.put(c, layout.require(c)); // all checked before any mkdir
        for (Controller c : ACCOUNTING) layout.hierarchy(c).ifPresent(h -> needed.put(c, h));
        List<Path> created = new ArrayList<>();
        try {
            for (Map.Entry<Controller, Hierarchy> e : needed.entrySet()) {
                Hierarchy h = e.getValue();
                parent.prepare(h, e.getKey());
                Path dir = parent.directory(h).resolve(name);
                if (!created.contains(dir) && CgroupFs.mkdir(dir)) created.add(dir);
            }
            for (Map.Entry<Controller, Hierarchy> e : needed.entrySet()) {
                if (!e.getValue().unified()) continue;
                Path dir = parent.directory(e.getValue()).resolve(name);
                enable(dir, e.getKey()); // for the sessions' children
                Path leaf = dir.resolve(INIT_LEAF);
                if (!created.contains(leaf) && CgroupFs.mkdir(leaf)) created.add(leaf);
            }
            ContainerCgroup cgroup = find(layout, parent, name).orElseGet(() -> new ContainerCgroup(name, parent, Map.of()));
            cgroup.writeLimits(limits);
            cgroup.removeStaleSessions();
            return cgroup;
        } catch (RuntimeException e) {
            for (Path dir : created.reversed()) CgroupFs.rmdir(dir);
            throw e;
        }
    }

    /** {@link #find(CgroupLayout, CgroupParent, String)} on the detected layout, under this process's parent. */
    public static Optional<ContainerCgroup> find(String name) {
        CgroupLayout layout = CgroupLayout.detect();
        return find(layout, CgroupParent.ofThisProcess(layout), name);
    }

    /** Under root's parent, {@code jail}. */
    public static Optional<ContainerCgroup> find(CgroupLayout layout, String name) {
        return find(layout, CgroupParent.system(), name);
    }

    /** The existing cgroup {@code PARENT/NAME}, with every controller it has on this host; empty if none. */
    public static Optional<ContainerCgroup> find(CgroupLayout layout, CgroupParent parent, String name) {
        checkName(name);
        Map<Controller, Hierarchy> present = new EnumMap<>(Controller.class);
        for (Controller c : Controller.values()) {
            layout.hierarchy(c).ifPresent(h -> {
                Path dir = parent.directory(h).resolve(name);
                // On v2 the directory has a controller only if the parent enabled it in subtree_control.
                if (Files.isDirectory(dir)
                        && (!h.unified() || c == Controller.CPUACCT || controllersOf(dir).contains(c.kernelName()))) {
                    present.put(c, h);
                }
            });
        }
        return present.isEmpty() ? Optional.empty() : Optional.of(new ContainerCgroup(name, parent, present));
    }

    public String name() {
        return name;
    }

    /** The controllers this cgroup has. */
    public Set<Controller> controllers() {
        return hierarchies.keySet();
    }

    /** Its directories, one per hierarchy (a single one on v2); empty for a container without limits. */
    public List<Path> directories() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Controller c : hierarchies.keySet()) dirs.add(directory(c));
        return List.copyOf(dirs);
    }

    /** The directory holding {@code controller}'s files for this cgroup. */
    public Path directory(Controller controller) {
        Hierarchy h = hierarchies.get(controller);
        if (h == null) throw new IllegalArgumentException("cgroup " + name + " has no " + controller.kernelName() + " controller");
        return parent.directory(h).resolve(name);
    }

    /**
     * Moves process {@code pid}, all its threads, into this cgroup (cgroup.procs in each directory). Processes
     * it starts afterwards are born inside; its existing children stay where they are, so attach a container's
     * init before it starts anything.
     *
     * @throws CgroupException e.g. ESRCH when the process does not exist
     */
    public void attach(int pid) {
        for (Path dir : directories()) {
            Path leaf = dir.resolve(INIT_LEAF);
            CgroupFs.write((Files.isDirectory(leaf) ? leaf : dir).resolve("cgroup.procs"), Integer.toString(pid));
        }
    }

    /** The processes in this cgroup (in any of its directories and their children), in pid order. */
    public List<Integer> processes() {
        Set<Integer> pids = new TreeSet<>();
        for (Path dir : directories()) {
            for (Path d : tree(dir)) {
                for (String line : CgroupFs.read(d.resolve("cgroup.procs")).split("\n")) {
                    if (!line.isBlank()) pids.add(Integer.parseInt(line.strip()));
                }
            }
        }
        return List.copyOf(pids);
    }

    /**
     * Where sessions' cgroups are made: one directory per hierarchy (the init passes them to {@link SessionCgroup}).
     * Empty for a container without limits.
     */
    public List<Path> sessionParents() {
        return directories();
    }

    /** Memory and pids in use now. */
    public Usage usage() {
        OptionalLong memory = OptionalLong.empty();
        OptionalInt pids = OptionalInt.empty();
        if (hierarchies.containsKey(Controller.MEMORY)) {
            String file = ControllerFiles.usageFile(Controller.MEMORY, hierarchies.get(Controller.MEMORY).unified());
            memory = OptionalLong.of(Long.parseLong(CgroupFs.read(directory(Controller.MEMORY).resolve(file))));
        }
        if (hierarchies.containsKey(Controller.PIDS)) {
            String file = ControllerFiles.usageFile(Controller.PIDS, hierarchies.get(Controller.PIDS).unified());
            pids = OptionalInt.of(Integer.parseInt(CgroupFs.read(directory(Controller.PIDS).resolve(file))));
        }
        return new Usage(memory, pids);
    }

    /** The limits in force, as the kernel reports them (a memory limit rounded down to whole pages). */
    public CgroupLimits limits() {
        CgroupLimits limits = CgroupLimits.none();
        for (Map.Entry<Controller, Hierarchy> e : hierarchies.entrySet()) {
            Path dir = directory(e.getKey());
            limits = ControllerFiles.readLimit(limits, e.getKey(), e.getValue().unified(),
                    file -> CgroupFs.read(dir.resolve(file)));
        }
        return limits;
    }

    /**
     * Removes the cgroup's directories. Its processes must be gone (a killed process leaves its cgroup only once
     * it has exited), so a busy directory is retried for up to 2 s; a directory already gone is fine.
     *
     * @throws CgroupException when a directory stays busy (processes still in it) or cannot be removed
     */
    public void remove() {
        long deadline = System.nanoTime() + REMOVE_TIMEOUT_MILLIS * 1_000_000;
        List<Path> all = new ArrayList<>();
        for (Path top : directories()) all.addAll(tree(top).reversed()); // children (init leaf, sessions) first
        for (Path dir : all) {
            long pause = 5;
            while (true) {
                int errno = CgroupFs.rmdir(dir);
                if (errno == 0 || errno == ENOENT) break;
                if (errno != CgroupFs.EBUSY || System.nanoTime() - deadline > 0) throw removeFailed(dir, errno);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw removeFailed(dir, errno);
                }
                pause = Math.min(pause * 2, 100);
            }
        }
    }

    @Override
    public String toString() {
        return "cgroup " + name + " " + directories();
    }

    private void writeLimits(CgroupLimits limits) {
        for (Map.Entry<Controller, Hierarchy> e : hierarchies.entrySet()) {
            Path dir = directory(e.getKey());
            for (ControllerFiles.Write w : ControllerFiles.limitWrites(e.getKey(), e.getValue().unified(), limits)) {
                Path file = dir.resolve(w.file());
                if (w.ifPresent() && !Files.exists(file)) continue;
                CgroupFs.write(file, w.value());
            }
        }
    }

    /**
     * Sessions' cgroups an earlier init of the container left (it died before removing them; with it went every
     * process of its PID namespace, so they are empty): a new init counts its sessions from 1 again.
     */
    private void removeStaleSessions() {
        for (Path dir : directories()) {
            for (Path child : tree(dir)) {
                if (child.getFileName().toString().startsWith(SessionCgroup.PREFIX)) CgroupFs.rmdir(child);
            }
        }
    }

    /** {@code dir} and the cgroups below it, parents before children; just {@code dir} if it cannot be listed. */
    static List<Path> tree(Path dir) {
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return List.of(dir);
        }
    }

    /** v2: lets the children of {@code dir} use {@code controller} (a no-op when it already does, or for cpuacct). */
    static void enable(Path dir, Controller controller) {
        if (controller == Controller.CPUACCT) return;
        Path control = dir.resolve("cgroup.subtree_control");
        if (!words(CgroupFs.read(control)).contains(controller.kernelName())) {
            CgroupFs.write(control, "+" + controller.kernelName());
        }
    }

    private static List<String> controllersOf(Path dir) {
        return words(CgroupFs.read(dir.resolve("cgroup.controllers")));
    }

    static List<String> words(String text) {
        return Arrays.asList(text.strip().split("\\s+"));
    }

    private CgroupException removeFailed(Path dir, int errno) {
        String message = "cannot remove " + dir + ": " + Errno.describe(errno) + " (errno " + errno + ")";
        if (errno == CgroupFs.EBUSY) {
            int left = 0;
            try {
                left = CgroupFs.read(dir.resolve("cgroup.procs")).lines().mapToInt(l -> 1).sum();
            } catch (CgroupException ignored) {
                // the count is only a hint
            }
            if (left > 0) message += ", " + left + (left == 1 ? " process" : " processes") + " still in it";
        }
        return new CgroupException(message, dir, errno, null);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid cgroup name: use letters, digits, "
                    + "'-' and '_' (at most 64, starting with a letter or digit)");
        }
    }
}

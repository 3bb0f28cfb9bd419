package jail.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where each controller lives on this host, read from /proc/self/mountinfo.
 *
 * <p>A controller is either bound to a v1 hierarchy (a {@code cgroup} mount whose options name it, e.g.
 * {@code /sys/fs/cgroup/memory} or a co-mounted {@code /sys/fs/cgroup/cpu,cpuacct}) or, when no v1 hierarchy
 * has it, available in the unified v2 hierarchy if that mount's root {@code cgroup.controllers} lists it. A
 * "hybrid" host (v1 controllers next to a v2 mount without them, like the machines jail is tested on) and a
 * pure v2 host (everything in {@code /sys/fs/cgroup}) are both just cases of this rule; so is a host where
 * some controllers are v1 and others v2.
 */
public final class CgroupLayout {
    static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /**
     * A mounted cgroup hierarchy.
     *
     * @param mountPoint its root directory, e.g. {@code /sys/fs/cgroup/pids} (v1) or {@code /sys/fs/cgroup} (v2)
     * @param unified    whether it is the v2 hierarchy (interface files such as {@code memory.max}) rather than
     *                   a v1 one ({@code memory.limit_in_bytes})
     */
    public record Hierarchy(Path mountPoint, boolean unified) {}

    private final Map<Controller, Hierarchy> hierarchies;

    private CgroupLayout(Map<Controller, Hierarchy> hierarchies) {
        this.hierarchies = hierarchies;
    }

    /** The layout of the host this process sees. */
    public static CgroupLayout detect() {
        List<String> lines;
        try {
            lines = Files.readAllLines(MOUNTINFO);
        } catch (IOException e) {
            throw new CgroupException("cannot read " + MOUNTINFO + ": " + CgroupFs.reason(e), MOUNTINFO, 0, e);
        }
        return parse(lines, CgroupLayout::readControllers);
    }

    /**
     * The layout described by mountinfo lines; {@code v2Controllers} returns the content of a v2 mount's
     * root {@code cgroup.controllers} (space-separated names, empty if unreadable).
     */
    static CgroupLayout parse(List<String> mountinfo, Function<Path, String> v2Controllers) {
        Map<Controller, Hierarchy> found = new EnumMap<>(Controller.class);
        Path unifiedMount = null;
        for (String line : mountinfo) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            String[] f = line.strip().split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (dash < 5 || f.length < dash + 4) continue;
            String type = f[dash + 1];
            Path mountPoint = Path.of(unescape(f[4]));
            if (type.equals("cgroup")) {
                List<String> options = Arrays.asList(f[dash + 3].split(","));
                for (Controller c : Controller.values()) {
                    if (options.contains(c.kernelName())) found.putIfAbsent(c, new Hierarchy(mountPoint, false));
                }
            } else if (type.equals("cgroup2") && unifiedMount == null) {
                unifiedMount = mountPoint;
            }
        }
        if (unifiedMount != null) {
            List<String> available = Arrays.asList(v2Controllers.apply(unifiedMount).strip().split("\\s+"));
            for (Controller c : Controller.values()) {
                // v2 counts CPU time in every cgroup (cpu.stat), without a controller to enable
                boolean counted = c == Controller.CPUACCT || available.contains(c.kernelName());
                if (!found.containsKey(c) && counted) found.put(c, new Hierarchy(unifiedMount, true));
            }
        }
        return new CgroupLayout(found);
    }

    /** Where {@code controller} is mounted, if the host has it. */
    public Optional<Hierarchy> hierarchy(Controller controller) {
        return Optional.ofNullable(hierarchies.get(controller));
    }

    /**
     * Where {@code controller} is mounted.
     *
     * @throws CgroupException "cgroup controller 'pids' is not available on this host"
     */
    public Hierarchy require(Controller controller) {
        Hierarchy h = hierarchies.get(controller);
        if (h == null) {
            throw new CgroupException("cgroup controller '" + controller.kernelName()
                    + "' is not available on this host", MOUNTINFO, 0, null);
        }
        return h;
    }

    /** The controllers this host offers (to jail: among memory, pids and cpu). */
    public Set<Controller> available() {
        return hierarchies.isEmpty() ? EnumSet.noneOf(Controller.class) : EnumSet.copyOf(hierarchies.keySet());
    }

    @Override
    public String toString() {
        return "CgroupLayout" + hierarchies;
    }

    private static String readControllers(Path mountPoint) {
        try {
            return Files.readString(mountPoint.resolve("cgroup.controllers"));
        } catch (IOException e) {
            return "";
        }
    }

    /** mountinfo escapes blank, tab, newline and backslash as \040, \011, \012, \134. */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                s.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                s.append(ch);
            }
        }
        return s.toString();
    }
}

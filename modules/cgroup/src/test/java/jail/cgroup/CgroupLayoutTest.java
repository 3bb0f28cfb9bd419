package jail.cgroup;

import jail.cgroup.CgroupLayout.Hierarchy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layouts from mountinfo as the kernel writes it: the machines jail is tested on, pure v2, and odd cases. */
class CgroupLayoutTest {

    /** This machine's kind: v1 controllers each on its own mount, a v2 mount with only hugetlb. */
    private static final List<String> HYBRID = List.of(
            "23 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
            "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    /** A systemd host with only cgroup v2 (Debian 12, Fedora, Ubuntu 22.04+). */
    private static final List<String> PURE_V2 = List.of(
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro",
            "26 24 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");

    private static CgroupLayout parse(List<String> mountinfo, String v2Controllers) {
        return CgroupLayout.parse(mountinfo, mount -> v2Controllers);
    }

    @Test
    void hybridUsesTheV1MountOfEachController() {
        CgroupLayout layout = parse(HYBRID, "hugetlb");
        assertEquals(Optional.of(new Hierarchy(Path.of("/sys/fs/cgroup/memory"), false)), layout.hierarchy(Controller.MEMORY));
        assertEquals(Optional.of(new Hierarchy(Path.of("/sys/fs/cgroup/pids"), false)), layout.hierarchy(Controller.PIDS));
        // "cpu", not "cpuset" or "cpuacct"
        assertEquals(Optional.of(new Hierarchy(Path.of("/sys/fs/cgroup/cpu"), false)), layout.hierarchy(Controller.CPU));
    }

    @Test
    void followsACoMountedCpuController() {
        CgroupLayout layout = parse(List.of(
                "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpu,cpuacct",
                "31 25 0:27 / /sys/fs/cgroup/net_cls,net_prio rw shared:13 - cgroup cgroup rw,net_cls,net_prio"), "");
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/cpu,cpuacct"), false), layout.require(Controller.CPU));
        assertEquals(EnumSet.of(Controller.CPU, Controller.CPUACCT), layout.available());
    }

    @Test
    void pureV2OffersWhatTheRootListsInCgroupControllers() {
        CgroupLayout layout = parse(PURE_V2, "cpuset cpu io memory hugetlb pids rdma misc\n");
        Hierarchy unified = new Hierarchy(Path.of("/sys/fs/cgroup"), true);
        for (Controller c : Controller.values()) assertEquals(unified, layout.require(c));

        CgroupLayout noPids = parse(PURE_V2, "cpu memory");
        assertEquals(Optional.empty(), noPids.hierarchy(Controller.PIDS));
    }

    @Test
    void aMissingControllerIsAOneLineError() {
        CgroupLayout layout = parse(HYBRID.subList(0, 6), "hugetlb"); // no pids mount
        CgroupException e = assertThrows(CgroupException.class, () -> layout.require(Controller.PIDS));
        assertEquals("cgroup controller 'pids' is not available on this host", e.getMessage());
        assertEquals(0, e.errno());
        CgroupLayout nothing = parse(List.of(), "");
        assertEquals(EnumSet.noneOf(Controller.class), nothing.available());
        assertEquals("cgroup controller 'memory' is not available on this host",
                assertThrows(CgroupException.class, () -> nothing.require(Controller.MEMORY)).getMessage());
    }

    @Test
    void aV1ControllerIsNotLookedForInV2() {
        // memory bound to v1 never shows in v2's cgroup.controllers; if a reader claimed it, v1 still wins.
        CgroupLayout layout = parse(HYBRID, "memory pids cpu");
        assertEquals(false, layout.require(Controller.MEMORY).unified());
    }

    @Test
    void mixedHostsTakeEachControllerWhereItIs() {
        List<String> mixed = List.of(
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
        CgroupLayout layout = parse(mixed, "pids cpu");
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/memory"), false), layout.require(Controller.MEMORY));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/unified"), true), layout.require(Controller.PIDS));
        assertEquals(new Hierarchy(Path.of("/sys/fs/cgroup/unified"), true), layout.require(Controller.CPU));
    }

    @Test
    void unescapesMountPointsAndSkipsOddLines() {
        CgroupLayout layout = parse(List.of(
                "garbage",
                "",
                "1 2 3:4 / /x - cgroup",
                "32 31 0:29 / /mnt/my\\040cgroups/pids rw - cgroup cgroup rw,pids"), "");
        assertEquals(Path.of("/mnt/my cgroups/pids"), layout.require(Controller.PIDS).mountPoint());
    }

    @Test
    void onlyTheFirstV2MountCounts() {
        Map<Path, String> controllers = Map.of(Path.of("/sys/fs/cgroup"), "memory", Path.of("/other"), "memory pids");
        CgroupLayout layout = CgroupLayout.parse(List.of(PURE_V2.get(1),
                "27 24 0:23 / /other rw - cgroup2 cgroup2 rw"), controllers::get);
        assertEquals(Path.of("/sys/fs/cgroup"), layout.require(Controller.MEMORY).mountPoint());
        assertNull(layout.hierarchy(Controller.PIDS).orElse(null));
    }

    @Test
    void detectsThisHost() {
        CgroupLayout layout = CgroupLayout.detect();
        System.out.println("cgroup layout of this host: " + layout);
        // The machines jail is built and tested on have memory, pids and cpu (v1 or v2).
        for (Controller c : Controller.values()) {
            Hierarchy h = layout.require(c);
            assertTrue(h.mountPoint().isAbsolute());
        }
    }
}

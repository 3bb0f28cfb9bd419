package jail.cgroup;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What {@link ContainerCgroup} refuses before touching cgroupfs; needs no root. */
class ContainerCgroupChecksTest {
    private static final long M = 1L << 20;

    @Test
    void aControllerTheHostLacksFailsBeforeAnythingIsCreated() {
        String name = "jt-cg-never-created";
        CgroupLayout withoutPids = CgroupLayout.parse(List.of(
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory"), mount -> "");
        CgroupException e = assertThrows(CgroupException.class,
                () -> ContainerCgroup.create(withoutPids, name, CgroupLimits.none().withMemoryBytes(64 * M).withPids(5)));
        assertEquals("cgroup controller 'pids' is not available on this host", e.getMessage());
        assertEquals(Optional.empty(), ContainerCgroup.find(name));
    }

    @Test
    void namesAreSinglePathComponents() {
        for (String bad : new String[] {"", "..", ".", "a/b", "../etc", "-x", "_x", "a b", "cgroup.procs", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> ContainerCgroup.find(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> ContainerCgroup.create(bad, CgroupLimits.none()), bad);
        }
        assertEquals("'a/b' is not a valid cgroup name: use letters, digits, '-' and '_' (at most 64, starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> ContainerCgroup.find("a/b")).getMessage());
    }
}

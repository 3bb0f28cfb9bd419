package jail.cgroup;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupLimitsTest {

    @Test
    void noneIsEmptyAndNeedsNoController() {
        assertTrue(CgroupLimits.none().isEmpty());
        assertEquals(Set.of(), CgroupLimits.none().controllers());
        assertEquals("none", CgroupLimits.none().toString());
        assertEquals(new CgroupLimits(OptionalLong.empty(), OptionalInt.empty(), OptionalDouble.empty()), CgroupLimits.none());
    }

    @Test
    void eachLimitNeedsItsController() {
        assertEquals(EnumSet.of(Controller.MEMORY), CgroupLimits.none().withMemoryBytes(1L << 30).controllers());
        assertEquals(EnumSet.of(Controller.PIDS), CgroupLimits.none().withPids(5).controllers());
        assertEquals(EnumSet.of(Controller.CPU), CgroupLimits.none().withCpus(0.5).controllers());
        CgroupLimits all = CgroupLimits.none().withMemoryBytes(ByteSize.parse("512M")).withPids(256).withCpus(1.5);
        assertFalse(all.isEmpty());
        assertEquals(EnumSet.of(Controller.MEMORY, Controller.PIDS, Controller.CPU), all.controllers());
        assertEquals("memory=512M pids=256 cpus=1.5", all.toString());
        assertEquals(new CgroupLimits(OptionalLong.of(536870912), OptionalInt.of(256), OptionalDouble.of(1.5)), all);
    }

    @Test
    void refusesLimitsThatCannotWork() {
        assertEquals("memory limit 4096 is too small: at least 1M",
                assertThrows(IllegalArgumentException.class, () -> CgroupLimits.none().withMemoryBytes(4096)).getMessage());
        assertEquals("pids limit 0 is too small: at least 1",
                assertThrows(IllegalArgumentException.class, () -> CgroupLimits.none().withPids(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CgroupLimits.none().withCpus(0));
        assertThrows(IllegalArgumentException.class, () -> CgroupLimits.none().withCpus(0.001));
        assertThrows(IllegalArgumentException.class, () -> CgroupLimits.none().withCpus(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> CgroupLimits.none().withCpus(Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> new CgroupLimits(null, OptionalInt.empty(), OptionalDouble.empty()));
        CgroupLimits.none().withMemoryBytes(CgroupLimits.MIN_MEMORY_BYTES).withPids(1).withCpus(CgroupLimits.MIN_CPUS);
    }
}

package jail.cgroup;

import jail.cgroup.ControllerFiles.Write;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The v1 and v2 spelling of each limit, and reading it back; the real-cgroupfs tests cover the host's kind. */
class ControllerFilesTest {
    private static final CgroupLimits LIMITS = CgroupLimits.none().withMemoryBytes(32L << 20).withPids(5).withCpus(0.5);

    @Test
    void v2Spelling() {
        assertEquals(List.of(new Write("memory.max", "33554432", false), new Write("memory.swap.max", "0", true)),
                ControllerFiles.limitWrites(Controller.MEMORY, true, LIMITS));
        assertEquals(List.of(new Write("pids.max", "5", false)), ControllerFiles.limitWrites(Controller.PIDS, true, LIMITS));
        assertEquals(List.of(new Write("cpu.max", "50000 100000", false)), ControllerFiles.limitWrites(Controller.CPU, true, LIMITS));
        assertEquals(List.of(new Write("cpu.max", "250000 100000", false)),
                ControllerFiles.limitWrites(Controller.CPU, true, CgroupLimits.none().withCpus(2.5)));
    }

    @Test
    void v2LiftsWhatIsNotLimited() {
        CgroupLimits none = CgroupLimits.none();
        assertEquals(List.of(new Write("memory.max", "max", false), new Write("memory.swap.max", "max", true)),
                ControllerFiles.limitWrites(Controller.MEMORY, true, none));
        assertEquals(List.of(new Write("pids.max", "max", false)), ControllerFiles.limitWrites(Controller.PIDS, true, none));
        assertEquals(List.of(new Write("cpu.max", "max 100000", false)), ControllerFiles.limitWrites(Controller.CPU, true, none));
    }

    @Test
    void v1SpellingKeepsMemswAboveTheLimitAtEveryStep() {
        assertEquals(List.of(new Write("memory.memsw.limit_in_bytes", "-1", true),
                        new Write("memory.limit_in_bytes", "33554432", false),
                        new Write("memory.memsw.limit_in_bytes", "33554432", true)),
                ControllerFiles.limitWrites(Controller.MEMORY, false, LIMITS));
        assertEquals(List.of(new Write("pids.max", "5", false)), ControllerFiles.limitWrites(Controller.PIDS, false, LIMITS));
        assertEquals(List.of(new Write("cpu.cfs_period_us", "100000", false), new Write("cpu.cfs_quota_us", "50000", false)),
                ControllerFiles.limitWrites(Controller.CPU, false, LIMITS));
        assertEquals(List.of(new Write("memory.memsw.limit_in_bytes", "-1", true), new Write("memory.limit_in_bytes", "-1", false)),
                ControllerFiles.limitWrites(Controller.MEMORY, false, CgroupLimits.none()));
    }

    @Test
    void readsBackV2() {
        Map<String, String> files = new HashMap<>(Map.of("memory.max", "33554432", "pids.max", "5", "cpu.max", "50000 100000"));
        assertEquals(LIMITS, readAll(true, files));
        files.putAll(Map.of("memory.max", "max", "pids.max", "max", "cpu.max", "max 100000"));
        assertEquals(CgroupLimits.none(), readAll(true, files));
    }

    @Test
    void readsBackV1() {
        Map<String, String> files = new HashMap<>(Map.of("memory.limit_in_bytes", "33554432", "pids.max", "5",
                "cpu.cfs_quota_us", "50000", "cpu.cfs_period_us", "100000"));
        assertEquals(LIMITS, readAll(false, files));
        // v1 reports "unlimited" as the largest page multiple
        files.putAll(Map.of("memory.limit_in_bytes", "9223372036854771712", "pids.max", "max", "cpu.cfs_quota_us", "-1"));
        assertEquals(CgroupLimits.none(), readAll(false, files));
    }

    @Test
    void cpuSharesRoundTrip() {
        for (double cpus : new double[] {0.01, 0.1, 0.25, 0.33, 0.5, 1, 1.5, 2, 3.75, 64}) {
            CgroupLimits limits = CgroupLimits.none().withCpus(cpus);
            String max = ControllerFiles.limitWrites(Controller.CPU, true, limits).getFirst().value();
            assertEquals(limits, ControllerFiles.readLimit(CgroupLimits.none(), Controller.CPU, true, f -> max), max);
        }
    }

    private static CgroupLimits readAll(boolean unified, Map<String, String> files) {
        CgroupLimits limits = CgroupLimits.none();
        for (Controller c : Controller.values()) limits = ControllerFiles.readLimit(limits, c, unified, files::get);
        return limits;
    }
}

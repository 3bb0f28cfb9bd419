package jail.cgroup;

import jail.cgroup.CgroupLayout.Hierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating, reading back, attaching to, finding and removing container cgroups on this host's real cgroupfs. */
class ContainerCgroupTest {
    private static final long M = 1L << 20;
    private final CgroupLayout layout = CgroupLayout.detect();
    @RegisterExtension
    final RealCgroups real = new RealCgroups();

    @Test
    void writesTheLimitsAndReadsBackExactlyThat() {
        String name = real.newName();
        CgroupLimits limits = CgroupLimits.none().withMemoryBytes(32 * M).withPids(5).withCpus(0.5);
        ContainerCgroup cgroup = ContainerCgroup.create(name, limits);

        assertEquals(name, cgroup.name());
        assertEquals(EnumSet.allOf(Controller.class), cgroup.controllers());
        assertEquals(limits, cgroup.limits());
        for (Controller c : Controller.values()) {
            Hierarchy h = layout.require(c);
            assertEquals(h.mountPoint().resolve("jail").resolve(name), cgroup.directory(c));
        }
        // What the kernel itself shows in the interface files
        Path mem = cgroup.directory(Controller.MEMORY);
        Path pids = cgroup.directory(Controller.PIDS);
        Path cpu = cgroup.directory(Controller.CPU);
        if (layout.require(Controller.MEMORY).unified()) {
            assertEquals("33554432", read(mem.resolve("memory.max")));
            if (Files.exists(mem.resolve("memory.swap.max"))) assertEquals("0", read(mem.resolve("memory.swap.max")));
            assertEquals("0", read(mem.resolve("memory.oom.group"))); // left alone
        } else {
            assertEquals("33554432", read(mem.resolve("memory.limit_in_bytes")));
            if (Files.exists(mem.resolve("memory.memsw.limit_in_bytes"))) {
                assertEquals("33554432", read(mem.resolve("memory.memsw.limit_in_bytes")));
            }
            assertTrue(read(mem.resolve("memory.oom_control")).contains("oom_kill_disable 0"));
        }
        assertEquals("5", read(pids.resolve("pids.max")));
        if (layout.require(Controller.CPU).unified()) {
            assertEquals("50000 100000", read(cpu.resolve("cpu.max")));
        } else {
            assertEquals("100000", read(cpu.resolve("cpu.cfs_period_us")));
            assertEquals("50000", read(cpu.resolve("cpu.cfs_quota_us")));
        }
        assertEquals(new ContainerCgroup.Usage(java.util.OptionalLong.of(0), java.util.OptionalInt.of(0)), cgroup.usage());
    }

    @Test
    void anExistingCgroupIsReusedWithItsLimitsRewritten() {
        String name = real.newName();
        ContainerCgroup first = ContainerCgroup.create(name, CgroupLimits.none().withMemoryBytes(32 * M).withPids(5).withCpus(0.5));
        // Raising memory after a lower limit: memsw (v1) must be raised first, which create does.
        CgroupLimits raised = CgroupLimits.none().withMemoryBytes(256 * M).withPids(100).withCpus(2);
        ContainerCgroup second = ContainerCgroup.create(name, raised);
        assertEquals(first.directories(), second.directories());
        assertEquals(raised, second.limits());

        CgroupLimits lowered = CgroupLimits.none().withMemoryBytes(16 * M);
        ContainerCgroup third = ContainerCgroup.create(name, lowered);
        // pids and cpu directories of the earlier run stay part of the cgroup, with their limits lifted
        assertEquals(EnumSet.allOf(Controller.class), third.controllers());
        assertEquals(lowered, third.limits());
        assertEquals(lowered, ContainerCgroup.find(name).orElseThrow().limits());
    }

    @Test
    void createsTheControllersTheLimitsNeedAndThoseThatCount() {
        String name = real.newName();
        ContainerCgroup cgroup = ContainerCgroup.create(name, CgroupLimits.none().withPids(64));
        // memory and cpuacct count each session's use (SessionCgroup), limited or not
        assertEquals(Set.of(Controller.PIDS, Controller.MEMORY, Controller.CPUACCT), cgroup.controllers());
        for (Controller c : EnumSet.of(Controller.CPU)) {
            Hierarchy h = layout.require(c);
            if (!h.unified()) assertFalse(Files.exists(h.mountPoint().resolve("jail").resolve(name)), c + " was created");
        }
        assertEquals(CgroupLimits.none().withPids(64), cgroup.limits());
        assertTrue(cgroup.usage().memoryBytes().isPresent());
    }

    @Test
    void noLimitsCreateNothing() throws Exception {
        String name = real.newName();
        ContainerCgroup cgroup = ContainerCgroup.create(name, CgroupLimits.none());
        assertEquals(List.of(), cgroup.directories());
        assertEquals(Optional.empty(), ContainerCgroup.find(name));
        for (Controller c : layout.available()) {
            assertFalse(Files.exists(layout.require(c).mountPoint().resolve("jail").resolve(name)));
        }
        Process sleep = real.start(new ProcessBuilder("sleep", "30"));
        cgroup.attach((int) sleep.pid()); // nothing to attach to: a no-op
        assertEquals(CgroupLimits.none(), cgroup.limits());
        assertEquals(new ContainerCgroup.Usage(java.util.OptionalLong.empty(), java.util.OptionalInt.empty()), cgroup.usage());
        cgroup.remove();
    }

    @Test
    void attachMovesARealProcessIn() throws Exception {
        String name = real.newName();
        ContainerCgroup cgroup = ContainerCgroup.create(name, CgroupLimits.none().withMemoryBytes(64 * M).withPids(16).withCpus(1));
        Process sleep = real.start(new ProcessBuilder("sleep", "30"));
        int pid = (int) sleep.pid();
        cgroup.attach(pid);

        for (Path dir : cgroup.directories()) {
            assertEquals(List.of(Integer.toString(pid)), Files.readAllLines(dir.resolve("cgroup.procs")), dir.toString());
        }
        assertEquals(List.of(pid), cgroup.processes());
        assertTrue(cgroup.usage().pids().getAsInt() >= 1);
        // The kernel's own view of the process
        String procCgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
        for (Controller c : Controller.values()) {
            Hierarchy h = layout.require(c);
            String line = procCgroup.lines()
                    .filter(l -> h.unified() ? l.startsWith("0::") : List.of(l.split(":")[1].split(",")).contains(c.kernelName()))
                    .findFirst().orElseThrow();
            assertTrue(line.endsWith(":/jail/" + name), line);
        }

        sleep.destroyForcibly();
        sleep.waitFor(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        cgroup.remove();
        System.out.printf("remove() right after the process was reaped: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        for (Path dir : cgroup.directories()) assertFalse(Files.exists(dir), dir + " is still there");
        assertEquals(Optional.empty(), ContainerCgroup.find(name));
    }

    @Test
    void findSeesAnExistingCgroupOnly() {
        String name = real.newName();
        assertEquals(Optional.empty(), ContainerCgroup.find(name));
        CgroupLimits limits = CgroupLimits.none().withMemoryBytes(48 * M).withCpus(0.25);
        ContainerCgroup created = ContainerCgroup.create(name, limits);
        ContainerCgroup found = ContainerCgroup.find(name).orElseThrow();
        assertEquals(created.directories(), found.directories());
        assertEquals(created.controllers(), found.controllers());
        assertEquals(limits, found.limits());
        found.remove();
        assertEquals(Optional.empty(), ContainerCgroup.find(name));
        created.remove(); // already gone: fine
    }

    @Test
    void removeWaitsForBusyDirectoriesThenSaysWhy() throws Exception {
        String name = real.newName();
        ContainerCgroup cgroup = ContainerCgroup.create(name, CgroupLimits.none().withPids(8));
        Process sleep = real.start(new ProcessBuilder("sleep", "30"));
        cgroup.attach((int) sleep.pid());

        long t0 = System.nanoTime();
        CgroupException e = assertThrows(CgroupException.class, cgroup::remove);
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        Path dir = cgroup.directories().getFirst();
        assertEquals("cannot remove " + dir + ": Device or resource busy (errno 16), 1 process still in it", e.getMessage());
        assertEquals(16, e.errno());
        assertEquals(dir, e.path());
        assertTrue(waitedMs >= 1900 && waitedMs < 4000, "waited " + waitedMs + " ms");
        assertTrue(Files.isDirectory(dir));

        // Killed but not yet reaped: remove() retries until the kernel lets the directory go.
        RealCgroups.kill((int) sleep.pid());
        t0 = System.nanoTime();
        cgroup.remove();
        System.out.printf("remove() racing the kill of the last process: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertFalse(Files.exists(dir));
    }

    @Test
    void errorsNameTheFileAndTheErrno() {
        String name = real.newName();
        ContainerCgroup cgroup = ContainerCgroup.create(name, CgroupLimits.none().withPids(8));
        Path procs = cgroup.directories().getFirst().resolve("cgroup.procs");
        int gone = unusedPid();
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.attach(gone));
        assertEquals("cannot write '" + gone + "' to " + procs + ": No such process (errno 3)", e.getMessage());
        assertEquals(3, e.errno());
        assertEquals(procs, e.path());

        Path max = cgroup.directory(Controller.PIDS).resolve("pids.max");
        CgroupException bad = assertThrows(CgroupException.class, () -> CgroupFs.write(max, "lots"));
        assertEquals("cannot write 'lots' to " + max + ": Invalid argument (errno 22)", bad.getMessage());
    }

    @Test
    void aRefusedLimitLeavesNothingBehind() {
        String name = real.newName();
        // ~10^9 CPUs is a CFS quota beyond the kernel's maximum (2^44 µs): EINVAL, after the directories exist.
        CgroupException e = assertThrows(CgroupException.class,
                () -> ContainerCgroup.create(name, CgroupLimits.none().withPids(5).withCpus(1e9)));
        assertEquals(22, e.errno());
        assertTrue(e.getMessage().startsWith("cannot write '100000000000000' to "), e.getMessage());
        assertEquals(Optional.empty(), ContainerCgroup.find(name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int unusedPid() {
        for (int pid = 4_000_000; ; pid--) {
            if (!Files.exists(Path.of("/proc/" + pid))) return pid;
        }
    }
}

package jail.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits hold for real processes: a pids limit stops a fork storm, a memory limit OOM-kills a hog. */
class CgroupEnforcementTest {
    private final CgroupLayout layout = CgroupLayout.detect();
    @RegisterExtension
    final RealCgroups real = new RealCgroups();

    @TempDir
    Path tmp;

    @Test
    void aPidsLimitOfFiveStopsAForkStorm() throws Exception {
        ContainerCgroup cgroup = ContainerCgroup.create(real.newName(), CgroupLimits.none().withPids(5));
        Path stderr = tmp.resolve("stderr");
        Process storm = real.startHeld("for i in $(seq 20); do sleep 5 & done; wait",
                ProcessBuilder.Redirect.to(stderr.toFile()));
        cgroup.attach((int) storm.pid());
        RealCgroups.release(storm);

        // Sample while the shell and its sleeps (orphans, if the shell gave up) are in the cgroup.
        int most = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3)) {
            most = Math.max(most, cgroup.usage().pids().getAsInt());
            Thread.sleep(5);
        }
        String errors = Files.readString(stderr);
        Path dir = cgroup.directory(Controller.PIDS);
        long failedForks = events(dir.resolve("pids.events"));
        // pids.peak (kernel 6.1+) is the high-water mark; sampling alone can miss a moment at the limit.
        String peak = Files.exists(dir.resolve("pids.peak")) ? Files.readString(dir.resolve("pids.peak")).strip() : null;
        System.out.printf("pids limit 5: at most %d seen, pids.peak %s, %d forks refused, shell said: %s%n",
                most, peak, failedForks, errors.lines().findFirst().orElse("(nothing)"));

        assertTrue(most <= 5, "pids.current reached " + most);
        assertTrue(most >= 2, "the storm never started: " + most);
        if (peak != null) assertEquals("5", peak, "the storm should fill the cgroup up to its limit, and no further");
        assertTrue(failedForks >= 1, "pids.events counts no refused fork");
        assertTrue(errors.toLowerCase().contains("fork"), "no fork failure reported: " + errors);
    }

    @Test
    void aMemoryHogIsOomKilledAndTheRestLivesOn() throws Exception {
        String name = real.newName();
        ContainerCgroup cgroup = ContainerCgroup.create(name, CgroupLimits.none().withMemoryBytes(32L << 20));
        Process bystander = real.start(new ProcessBuilder("sleep", "60"));
        cgroup.attach((int) bystander.pid());
        // tail keeps the "last line" of /dev/zero, which never ends: it grows until something stops it.
        Process hog = real.startHeld("exec tail /dev/zero", ProcessBuilder.Redirect.DISCARD);
        cgroup.attach((int) hog.pid());

        long t0 = System.nanoTime();
        RealCgroups.release(hog);
        assertTrue(hog.waitFor(60, TimeUnit.SECONDS), "the hog was not stopped within 60 s");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(128 + 9, hog.exitValue(), "not killed by SIGKILL");
        Path mem = cgroup.directory(Controller.MEMORY);
        long kills = layout.require(Controller.MEMORY).unified()
                ? field(mem.resolve("memory.events"), "oom_kill")
                : field(mem.resolve("memory.oom_control"), "oom_kill");
        System.out.printf("memory limit 32M: hog OOM-killed after %d ms, oom_kill=%d, usage now %d bytes%n",
                ms, kills, cgroup.usage().memoryBytes().getAsLong());
        assertEquals(1, kills, "the cgroup's own OOM killer did it, once");
        assertTrue(bystander.isAlive(), "the OOM killer took the bystander too");
        assertTrue(Files.isDirectory(mem));
        assertEquals(cgroup.directories(), ContainerCgroup.find(name).orElseThrow().directories());
        assertEquals(java.util.List.of((int) bystander.pid()), cgroup.processes());
        assertTrue(cgroup.usage().memoryBytes().getAsLong() <= 32L << 20);
    }

    /** The "max N" counter of pids.events: forks refused because of pids.max. */
    private static long events(Path file) throws Exception {
        return field(file, "max");
    }

    private static long field(Path file, String key) throws Exception {
        return Files.readAllLines(file).stream().map(l -> l.split(" "))
                .filter(f -> f[0].equals(key)).mapToLong(f -> Long.parseLong(f[1])).findFirst().orElseThrow();
    }
}

package jail.cgroup;

import jail.namespace.NativeFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's child of its container's cgroup on this host's real cgroupfs: joining by fd, accounting, removal. */
class SessionCgroupTest {
    @RegisterExtension
    final RealCgroups real = new RealCgroups();

    @Test
    void aProcessJoinsThroughTheFdIsAccountedAndWhatItLeavesMovesToTheContainer() throws Exception {
        ContainerCgroup container = ContainerCgroup.create(real.newName(), CgroupLimits.none().withPids(32));
        SessionCgroup session = SessionCgroup.create(container.sessionParents(), "session-1");
        assertEquals(container.directories().size(), session.directories().size());
        for (Path dir : session.directories()) assertTrue(Files.isDirectory(dir), dir + " made");

        // Burns CPU and touches a 16 MiB buffer, then stays: a daemon the session leaves behind.
        Process p = real.startHeld("dd if=/dev/zero of=/dev/null bs=16M count=2 2>/dev/null; i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; exec sleep 30",
                ProcessBuilder.Redirect.INHERIT);
        int[] fds = session.openProcs();
        try {
            for (int fd : fds) {
                assertTrue(fd >= 16, "fd " + fd + " is above what a spawn dup2s to");
                NativeFd.writeFully(fd, (p.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } finally {
            for (int fd : fds) NativeFd.close(fd);
        }
        RealCgroups.release(p);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ps(p.pid()).contains("sleep") && System.nanoTime() < deadline) Thread.sleep(50);

        SessionUsage usage = session.usage();
        System.out.println("session usage: " + usage.describe());
        assertTrue(usage.cpuNanos().getAsLong() > 10_000_000L, usage.toString());
        assertTrue(usage.peakMemoryBytes().getAsLong() > 16L << 20, usage.toString());

        session.remove();
        for (Path dir : session.directories()) assertFalse(Files.exists(dir), dir + " removed");
        for (Path dir : container.directories()) {
            assertEquals(List.of(Long.toString(p.pid())), Files.readAllLines(dir.resolve("cgroup.procs")), "moved into " + dir);
        }
    }

    @Test
    void aNewStartOfTheContainerRemovesSessionCgroupsAnEarlierInitLeft() {
        String name = real.newName();
        ContainerCgroup container = ContainerCgroup.create(name, CgroupLimits.none().withPids(32));
        SessionCgroup stale = SessionCgroup.create(container.sessionParents(), "session-7");
        ContainerCgroup again = ContainerCgroup.create(name, CgroupLimits.none().withPids(32));
        for (Path dir : stale.directories()) assertFalse(Files.exists(dir), dir + " removed");
        assertEquals(container.directories(), again.directories());
    }

    private static String ps(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/comm"));
    }
}

package jail.cgroup;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What tests on the real cgroupfs share: the root check, unique names, processes started for the test, and a
 * clean-up that kills whatever is left in the test's cgroups and removes them, whatever the test's outcome.
 * A JUnit extension, one per test: {@code @RegisterExtension final RealCgroups real = new RealCgroups();}.
 */
final class RealCgroups implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        requireRoot();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Skips the test (with the reason printed) unless root; with CI=true, fails instead of skipping. */
    static void requireRoot() {
        if (effectiveUid() == 0) return;
        String reason = "needs root: creates cgroups in /sys/fs/cgroup";
        if ("true".equals(System.getenv("CI"))) fail(reason + " (CI=true, so this is not skipped)");
        System.out.println("SKIPPED " + reason);
        assumeTrue(false, reason);
    }

    /** From /proc/self/status ("Uid: real effective saved fs"), so the check needs no native code. */
    private static int effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .mapToInt(l -> Integer.parseInt(l.split("\\s+")[2])).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** A cgroup name no other test or run uses, cleaned up by {@link #close}. */
    String newName() {
        String name = "jt-cg-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        names.add(name);
        return name;
    }

    /** Starts a process, killed by {@link #close} if still running. */
    Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    /**
     * Starts {@code sh -c SCRIPT} held at a {@code read}, so it can be attached before it does anything;
     * {@link #release} lets it go.
     */
    Process startHeld(String script, ProcessBuilder.Redirect stderr) throws IOException {
        return start(new ProcessBuilder("sh", "-c", "read go; " + script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr));
    }

    static void release(Process held) throws IOException {
        try (OutputStream in = held.getOutputStream()) {
            in.write('\n');
        }
    }

    static void kill(int pid) {
        jail.namespace.Processes.kill(pid);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<Throwable> failures = new ArrayList<>();
        for (String name : names) {
            try {
                var cgroup = ContainerCgroup.find(name);
                if (cgroup.isEmpty()) continue;
                // Orphans (e.g. background jobs of a killed shell) are not our children: kill them by pid.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                List<Integer> left;
                while (!(left = cgroup.get().processes()).isEmpty() && System.nanoTime() < deadline) {
                    left.forEach(RealCgroups::kill);
                    Thread.sleep(10);
                }
                cgroup.get().remove();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("cleaning up cgroups " + names + " failed: " + failures.getFirst());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}

package jail.cgroup;

import jail.namespace.NativeFd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static jail.namespace.jna.Constants.*;

/**
 * One session's child of its container's cgroup: {@code CONTAINER/session-ID} in each of the container's
 * hierarchies. The init makes it before the spawn and hands jail-exec an fd of each {@code cgroup.procs}
 * ({@link #openProcs}); jail-exec writes its own pid there before anything else, so everything the session ever
 * runs is born inside. The container's limits, on the parent, still cover all sessions together.
 *
 * <p>At the end, {@link #usage} is read and {@link #remove} takes the child away. A process the session left
 * behind (a daemon that escaped the hang-up) is moved into the container's own cgroup ({@code CONTAINER}, or
 * {@code CONTAINER/init} on v2): it goes on, counted against the container's limits, but no longer against the
 * session, whose accounting ends with it.
 */
public final class SessionCgroup {
    /** The name of a session's cgroup starts so: {@code session-N}. */
    public static final String PREFIX = "session-";
    private static final long REMOVE_TIMEOUT_MILLIS = 1_000;

    private final List<Path> directories;

    private SessionCgroup(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /**
     * Makes {@code PARENT/NAME} under each of {@code containerDirs}; on failure, removes what it made.
     *
     * @throws CgroupException naming the directory and the errno
     */
    public static SessionCgroup create(List<Path> containerDirs, String name) {
        List<Path> made = new ArrayList<>();
        try {
            for (Path parent : containerDirs) {
                Path dir = parent.resolve(name);
                CgroupFs.mkdir(dir);
                made.add(dir);
            }
        } catch (RuntimeException e) {
            for (Path dir : made.reversed()) CgroupFs.rmdir(dir);
            throw e;
        }
        return new SessionCgroup(made);
    }

    public List<Path> directories() {
        return directories;
    }

    /** Each directory's {@code cgroup.procs}, opened for writing (O_CLOEXEC, fd 16 or above): the caller closes them. */
    public int[] openProcs() {
        int[] fds = new int[directories.size()];
        int n = 0;
        try {
            for (Path dir : directories) {
                // above the numbers a session's spawn dup2s to (0-2, jail-exec's 3, these from 4)
                fds[n] = NativeFd.moveAbove(NativeFd.open(dir.resolve("cgroup.procs").toString(), O_WRONLY | O_CLOEXEC, 0), 16);
                n++;
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < n; i++) NativeFd.close(fds[i]);
            throw e;
        }
        return fds;
    }

    /** CPU time and peak memory so far, from whichever files the directories have (v1 or v2). */
    public SessionUsage usage() {
        OptionalLong cpu = OptionalLong.empty();
        OptionalLong peak = OptionalLong.empty();
        for (Path dir : directories) {
            if (cpu.isEmpty() && Files.exists(dir.resolve("cpuacct.usage"))) {
                cpu = number(dir.resolve("cpuacct.usage"));
            } else if (cpu.isEmpty() && Files.exists(dir.resolve("cpu.stat"))) {
                cpu = statField(dir.resolve("cpu.stat"), "usage_usec");
                if (cpu.isPresent()) cpu = OptionalLong.of(cpu.getAsLong() * 1000);
            }
            if (peak.isEmpty() && Files.exists(dir.resolve("memory.max_usage_in_bytes"))) {
                peak = number(dir.resolve("memory.max_usage_in_bytes"));
            } else if (peak.isEmpty() && Files.exists(dir.resolve("memory.peak"))) {
                peak = number(dir.resolve("memory.peak"));
            }
        }
        return new SessionUsage(cpu, peak);
    }

    /**
     * Moves what is left in the session's cgroup into the container's, then removes the directories; retries
     * for up to a second while processes are still leaving (a fork racing the move, an exit not yet complete).
     *
     * @throws CgroupException when a directory stays busy or cannot be removed
     */
    public void remove() {
        long deadline = System.nanoTime() + REMOVE_TIMEOUT_MILLIS * 1_000_000;
        for (Path dir : directories) {
            long pause = 5;
            while (true) {
                moveLeftovers(dir);
                int errno = CgroupFs.rmdir(dir);
                if (errno == 0 || errno == ENOENT) break;
                if (errno != CgroupFs.EBUSY || System.nanoTime() - deadline > 0) {
                    throw CgroupException.of("cannot remove", dir, errno);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw CgroupException.of("cannot remove", dir, errno);
                }
                pause = Math.min(pause * 2, 50);
            }
        }
    }

    /** The container's own cgroup next to {@code dir}: its init leaf on v2, else the parent itself. */
    static Path containerOf(Path dir) {
        Path leaf = dir.getParent().resolve(ContainerCgroup.INIT_LEAF);
        return Files.isDirectory(leaf) ? leaf : dir.getParent();
    }

    private static void moveLeftovers(Path dir) {
        String procs;
        try {
            procs = CgroupFs.read(dir.resolve("cgroup.procs"));
        } catch (CgroupException gone) {
            return;
        }
        Path target = containerOf(dir).resolve("cgroup.procs");
        for (String pid : procs.split("\n")) {
            if (pid.isBlank()) continue;
            try {
                CgroupFs.write(target, pid.strip());
            } catch (CgroupException e) {
                if (e.errno() != ESRCH) throw e; // it ended meanwhile
            }
        }
    }

    private static OptionalLong number(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(CgroupFs.read(file)));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong statField(Path file, String key) {
        try {
            for (String line : CgroupFs.read(file).split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length == 2 && f[0].equals(key)) return OptionalLong.of(Long.parseLong(f[1]));
            }
        } catch (RuntimeException e) {
            // unreadable: unknown
        }
        return OptionalLong.empty();
    }

    @Override
    public String toString() {
        return "session cgroup " + directories;
    }
}

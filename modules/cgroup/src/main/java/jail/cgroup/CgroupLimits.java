package jail.cgroup;

import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a container's cgroup enforces; an empty field means "no limit" (and that controller is not used).
 *
 * @param memoryBytes memory the container's processes may use together, page cache included, in bytes; swap is
 *                    not allowed on top of it. The kernel rounds it down to a whole page.
 * @param pids        how many processes and threads may exist at once; a fork beyond it fails with EAGAIN
 * @param cpus        CPU time per wall-clock time, e.g. 0.5 = half of one CPU, 2 = two full CPUs; enforced
 *                    per 100 ms period with a precision of 10 µs (1/100000 of a CPU)
 */
public record CgroupLimits(OptionalLong memoryBytes, OptionalInt pids, OptionalDouble cpus) {
    /** Below this a container cannot even start a shell; v1 also rounds anything under a page down to 0. */
    public static final long MIN_MEMORY_BYTES = 1L << 20;
    /** The kernel refuses a CFS quota below 1 ms per 100 ms period. */
    public static final double MIN_CPUS = 0.01;

    private static final CgroupLimits NONE = new CgroupLimits(OptionalLong.empty(), OptionalInt.empty(),
            OptionalDouble.empty());

    public CgroupLimits {
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(pids, "pids");
        Objects.requireNonNull(cpus, "cpus");
        if (memoryBytes.isPresent() && memoryBytes.getAsLong() < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("memory limit " + memoryBytes.getAsLong()
                    + " is too small: at least " + ByteSize.format(MIN_MEMORY_BYTES));
        }
        if (pids.isPresent() && pids.getAsInt() < 1) {
            throw new IllegalArgumentException("pids limit " + pids.getAsInt() + " is too small: at least 1");
        }
        if (cpus.isPresent() && !(Double.isFinite(cpus.getAsDouble()) && cpus.getAsDouble() >= MIN_CPUS)) {
            throw new IllegalArgumentException("cpu limit " + cpus.getAsDouble() + " is not valid: at least "
                    + MIN_CPUS + " (a share of one CPU, e.g. 0.5, or several CPUs, e.g. 2)");
        }
    }

    /** No limit at all: a container with these limits gets no cgroup. */
    public static CgroupLimits none() {
        return NONE;
    }

    public boolean isEmpty() {
        return memoryBytes.isEmpty() && pids.isEmpty() && cpus.isEmpty();
    }

    public CgroupLimits withMemoryBytes(long bytes) {
        return new CgroupLimits(OptionalLong.of(bytes), pids, cpus);
    }

    public CgroupLimits withPids(int max) {
        return new CgroupLimits(memoryBytes, OptionalInt.of(max), cpus);
    }

    public CgroupLimits withCpus(double cpus) {
        return new CgroupLimits(memoryBytes, pids, OptionalDouble.of(cpus));
    }

    /** The controllers these limits need. */
    public Set<Controller> controllers() {
        Set<Controller> needed = EnumSet.noneOf(Controller.class);
        if (memoryBytes.isPresent()) needed.add(Controller.MEMORY);
        if (pids.isPresent()) needed.add(Controller.PIDS);
        if (cpus.isPresent()) needed.add(Controller.CPU);
        return needed;
    }

    /** E.g. {@code memory=512M pids=256 cpus=0.5}, or {@code none}. */
    @Override
    public String toString() {
        if (isEmpty()) return "none";
        StringBuilder s = new StringBuilder();
        memoryBytes.ifPresent(m -> s.append("memory=").append(ByteSize.format(m)).append(' '));
        pids.ifPresent(p -> s.append("pids=").append(p).append(' '));
        cpus.ifPresent(c -> s.append("cpus=").append(c).append(' '));
        return s.toString().strip();
    }
}

package jail.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Which interface files carry each controller's limit and usage, in v1 and in v2, and how the values are
 * spelled there. Kept apart from the file system so the v2 spelling is checked even on a v1 host.
 *
 * <table>
 *   <caption>files per controller</caption>
 *   <tr><th></th><th>v1</th><th>v2</th></tr>
 *   <tr><td>memory</td><td>memory.limit_in_bytes (-1 = none), memory.memsw.limit_in_bytes = the same
 *       (no swap on top; when the kernel has it)</td><td>memory.max ("max" = none), memory.swap.max = 0 (when
 *       the kernel has it)</td></tr>
 *   <tr><td>pids</td><td>pids.max ("max" = none)</td><td>pids.max</td></tr>
 *   <tr><td>cpu</td><td>cpu.cfs_period_us = 100000, cpu.cfs_quota_us (-1 = none)</td><td>cpu.max
 *       "QUOTA 100000" ("max 100000" = none)</td></tr>
 *   <tr><td>usage</td><td>memory.usage_in_bytes, pids.current</td><td>memory.current, pids.current</td></tr>
 * </table>
 */
final class ControllerFiles {
    /** The CFS period, in µs: 100 ms, the kernel's default. */
    static final long PERIOD_US = 100_000;
    /** v1 reports "no memory limit" as the largest page-aligned counter (0x7FFFFFFFFFFFF000 with 4 KiB pages). */
    private static final long V1_UNLIMITED_FROM = 1L << 62;

    /** One write of a setting; {@code ifPresent}: skipped when the kernel does not offer that file. */
    record Write(String file, String value, boolean ifPresent) {}

    private ControllerFiles() {}

    /** The writes that put {@code limits} in force for {@code controller}; "no limit" lifts any earlier one. */
    static List<Write> limitWrites(Controller controller, boolean unified, CgroupLimits limits) {
        List<Write> w = new ArrayList<>();
        switch (controller) {
            case MEMORY -> {
                OptionalLong m = limits.memoryBytes();
                if (unified) {
                    w.add(new Write("memory.max", m.isPresent() ? Long.toString(m.getAsLong()) : "max", false));
                    w.add(new Write("memory.swap.max", m.isPresent() ? "0" : "max", true));
                } else {
                    // The kernel keeps memsw >= limit at every step: lift memsw, set the limit, then bring memsw
                    // down to the limit so that swap adds nothing to it.
                    w.add(new Write("memory.memsw.limit_in_bytes", "-1", true));
                    w.add(new Write("memory.limit_in_bytes", m.isPresent() ? Long.toString(m.getAsLong()) : "-1", false));
                    if (m.isPresent()) w.add(new Write("memory.memsw.limit_in_bytes", Long.toString(m.getAsLong()), true));
                }
            }
            case PIDS -> w.add(new Write("pids.max",
                    limits.pids().isPresent() ? Integer.toString(limits.pids().getAsInt()) : "max", false));
            case CPU -> {
                String quota = limits.cpus().isPresent() ? Long.toString(quotaUs(limits.cpus().getAsDouble())) : null;
                if (unified) {
                    w.add(new Write("cpu.max", (quota == null ? "max" : quota) + " " + PERIOD_US, false));
                } else {
                    w.add(new Write("cpu.cfs_period_us", Long.toString(PERIOD_US), false));
                    w.add(new Write("cpu.cfs_quota_us", quota == null ? "-1" : quota, false));
                }
            }
        }
        return w;
    }

    /** {@code acc} with {@code controller}'s limit as the kernel reports it through {@code file}. */
    static CgroupLimits readLimit(CgroupLimits acc, Controller controller, boolean unified, UnaryOperator<String> file) {
        switch (controller) {
            case MEMORY -> {
                String v = file.apply(unified ? "memory.max" : "memory.limit_in_bytes");
                if (v.equals("max") || v.equals("-1")) return acc;
                long bytes = Long.parseLong(v);
                return bytes >= V1_UNLIMITED_FROM ? acc : acc.withMemoryBytes(bytes);
            }
            case PIDS -> {
                String v = file.apply("pids.max");
                return v.equals("max") ? acc : acc.withPids(Integer.parseInt(v));
            }
            case CPU -> {
                String quota;
                String period;
                if (unified) {
                    String[] max = file.apply("cpu.max").split(" ");
                    quota = max[0];
                    period = max.length > 1 ? max[1] : Long.toString(PERIOD_US);
                } else {
                    quota = file.apply("cpu.cfs_quota_us");
                    period = file.apply("cpu.cfs_period_us");
                }
                if (quota.equals("max") || quota.equals("-1")) return acc;
                return acc.withCpus((double) Long.parseLong(quota) / Long.parseLong(period));
            }
        }
        return acc;
    }

    /** The file with the controller's current usage, or null (cpu: nothing jail reports). */
    static String usageFile(Controller controller, boolean unified) {
        return switch (controller) {
            case MEMORY -> unified ? "memory.current" : "memory.usage_in_bytes";
            case PIDS -> "pids.current";
            case CPU, CPUACCT -> null;
        };
    }

    static long quotaUs(double cpus) {
        return Math.round(cpus * PERIOD_US);
    }
}

package jail.cgroup;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * What one session used, from its own cgroup; empty where the container's cgroup lacks the hierarchy.
 *
 * @param cpuNanos        CPU time of all its processes, user and system (v1 {@code cpuacct.usage}, v2
 *                        {@code cpu.stat usage_usec})
 * @param peakMemoryBytes the most memory charged to it at once, page cache included (v1
 *                        {@code memory.max_usage_in_bytes}, v2 {@code memory.peak})
 */
public record SessionUsage(OptionalLong cpuNanos, OptionalLong peakMemoryBytes) {
    public static final SessionUsage NONE = new SessionUsage(OptionalLong.empty(), OptionalLong.empty());

    /** For an audit line: {@code cpu 0.25 s, peak memory 3.4M}; empty when nothing is known. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        cpuNanos.ifPresent(n -> s.append("cpu ").append(String.format(Locale.ROOT, "%.2f", n / 1e9)).append(" s"));
        peakMemoryBytes.ifPresent(b -> s.append(s.isEmpty() ? "" : ", ").append("peak memory ").append(approximate(b)));
        return s.toString();
    }

    /** One decimal in the largest binary unit that fits: {@code 3.4M}, {@code 812K}, {@code 1.0G}. */
    static String approximate(long bytes) {
        String units = "KMGT";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        if (u < 0) return bytes + "B";
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(Math.round(v))) + units.charAt(u);
    }
}

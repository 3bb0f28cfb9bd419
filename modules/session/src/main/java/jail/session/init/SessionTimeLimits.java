package jail.session.init;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a container's sessions may live: ended after {@code idle} without input or output, or after
 * {@code maxDuration} whatever they do. {@link Duration#ZERO}: no such limit.
 */
public record SessionTimeLimits(Duration idle, Duration maxDuration) {
    public static final SessionTimeLimits NONE = new SessionTimeLimits(Duration.ZERO, Duration.ZERO);
    /** The warning comes this long before the end, or a tenth of the limit for shorter ones. */
    static final Duration WARNING_LEAD = Duration.ofMinutes(1);

    public SessionTimeLimits {
        if (idle.isNegative() || maxDuration.isNegative()) throw new IllegalArgumentException("a time limit cannot be negative");
    }

    public boolean any() {
        return !idle.isZero() || !maxDuration.isZero();
    }

    static Duration warningLead(Duration limit) {
        Duration tenth = limit.dividedBy(10);
        return tenth.compareTo(WARNING_LEAD) < 0 ? tenth : WARNING_LEAD;
    }

    /**
     * A duration as written in the configuration and on jaild's command line: a number and a unit, {@code s},
     * {@code m}, {@code h} or {@code d} ({@code 30m}, {@code 8h}, {@code 90s}); "0" or "none": no limit.
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0") || t.equals("none")) return Duration.ZERO;
        if (t.length() < 2) throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 30m, 8h or 1d");
        char unit = t.charAt(t.length() - 1);
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 30m, 8h or 1d");
        }
        if (n < 0 || n > 366L * 24 * 3600) throw new IllegalArgumentException("'" + text + "' is out of range");
        Duration d = switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 30m, 8h or 1d");
        };
        if (d.compareTo(Duration.ofDays(366)) > 0) throw new IllegalArgumentException("'" + text + "' is more than a year");
        return d;
    }

    /** For people: "45 s", "29 min", "8 h". */
    static String describe(Duration d) {
        if (d.toMillis() < 10_000 && d.toMillis() % 1000 != 0) return d.toMillis() / 100 / 10.0 + " s";
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 120) return s + " s";
        if (s < 120 * 60) return s / 60 + " min";
        return s / 3600 + " h";
    }
}

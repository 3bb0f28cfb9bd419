package jail.cgroup;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them in a configuration: {@code 1048576}, {@code 64k}, {@code 512M}, {@code 1G},
 * {@code 2GiB}, {@code 512MB}. Every multiple is binary (K = 1024), whatever the spelling, as for
 * {@code docker --memory} and systemd's {@code MemoryMax=}: a memory limit is never meant in powers of ten.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:I?B)?|B)?");
    private static final String UNITS = "KMGT";

    private ByteSize() {}

    /**
     * The number of bytes {@code text} stands for: a whole number, optionally followed by K, M, G or T
     * (any case, optionally with B or iB after it), or by B alone. Blanks around the number are ignored.
     *
     * @throws IllegalArgumentException naming the text and what a size looks like, or saying it is too large
     */
    public static long parse(String text) {
        Objects.requireNonNull(text, "size");
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size: use a number with an optional K, M, G or T suffix");
        }
        int shift = m.group(2) == null ? 0 : 10 * (UNITS.indexOf(m.group(2).charAt(0)) + 1);
        try {
            long number = Long.parseLong(m.group(1));
            if (shift > 0 && number > (Long.MAX_VALUE >> shift)) throw new NumberFormatException();
            return number << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    /**
     * The shortest exact spelling that {@link #parse} reads back: the count of the largest unit that divides
     * {@code bytes} ({@code 536870912} → {@code 512M}, {@code 2048} → {@code 2K}), plain bytes otherwise
     * ({@code 1536} → {@code 1536}).
     */
    public static String format(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative size: " + bytes);
        for (int i = UNITS.length(); i >= 1; i--) {
            long unit = 1L << (10 * i);
            if (bytes != 0 && bytes % unit == 0) return (bytes / unit) + String.valueOf(UNITS.charAt(i - 1));
        }
        return Long.toString(bytes);
    }
}

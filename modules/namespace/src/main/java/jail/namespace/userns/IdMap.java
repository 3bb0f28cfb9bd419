package jail.namespace.userns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The uid or gid map of the calling process's user namespace ({@code /proc/self/uid_map}, {@code gid_map}):
 * which ids exist in it. In the host's (initial) namespace every id exists; in a rootless container only the
 * mapped ones do, and the kernel refuses (EINVAL) to chown to, mount with or switch to any other.
 */
public record IdMap(List<Range> ranges) {
    /** Ids {@code inside .. inside+count-1} of this namespace are {@code outside ..} of its parent. */
    public record Range(long inside, long outside, long count) {}

    private static final long ALL = 4294967295L;

    public IdMap {
        ranges = List.copyOf(ranges);
    }

    public static IdMap uids() {
        return read(Path.of("/proc/self/uid_map"));
    }

    public static IdMap gids() {
        return read(Path.of("/proc/self/gid_map"));
    }

    static IdMap read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static IdMap parse(String text) {
        List<Range> ranges = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) continue;
            ranges.add(new Range(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
        }
        return new IdMap(ranges);
    }

    /** True in the host's own user namespace, where every id maps to itself. */
    public boolean isInitial() {
        return ranges.size() == 1 && ranges.get(0).equals(new Range(0, 0, ALL));
    }

    public boolean maps(long id) {
        return ranges.stream().anyMatch(r -> id >= r.inside() && id - r.inside() < r.count());
    }
}

package jail.namespace;

import java.util.Arrays;

/** Who a session runs as: uid, primary gid and supplementary groups. */
public record Credentials(int uid, int gid, int[] groups) {
    public Credentials {
        groups = groups.clone();
    }

    @Override
    public int[] groups() {
        return groups.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.uid == uid && c.gid == gid && Arrays.equals(c.groups, groups);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * uid + gid) + Arrays.hashCode(groups);
    }

    @Override
    public String toString() {
        return "uid=" + uid + " gid=" + gid + " groups=" + Arrays.toString(groups);
    }
}

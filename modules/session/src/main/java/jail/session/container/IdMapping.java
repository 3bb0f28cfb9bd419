package jail.session.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uid and gid maps of a rootless container's user namespace, in jail-userns's notation
 * ({@code INSIDE:OUTSIDE:COUNT,...}). The container's user is the host user itself: uid U inside is U outside
 * (the user lands as itself, as in root's containers), or uid 0 inside is U outside for a container whose
 * sessions are root ({@code -u 0}: root inside has exactly the user's own rights on the host); its group inside
 * is the user's host group. Without subordinate ids that is the whole map: one uid, one gid, which the kernel
 * lets a user write for itself. With ranges in /etc/subuid and
 * /etc/subgid every other id 0..COUNT of the container (root inside included) is one of the user's subordinate
 * ids, so chown to other users works inside and root inside has no privilege outside; newuidmap/newgidmap
 * (setuid, Debian's uidmap) write those maps after checking the ranges.
 */
public record IdMapping(String uidMap, String gidMap, boolean subordinate) {

    /** The map for a container user {@code uid}:{@code gid} that is host user {@code hostUid}:{@code hostGid}. */
    public static IdMapping of(int uid, int gid, int hostUid, int hostGid, Optional<SubordinateIds> subuid,
                               Optional<SubordinateIds> subgid) {
        if (subuid.isPresent() && subgid.isPresent()) {
            return new IdMapping(map(uid, hostUid, subuid.get()), map(gid, hostGid, subgid.get()), true);
        }
        return new IdMapping(uid + ":" + hostUid + ":1", gid + ":" + hostGid + ":1", false);
    }

    /** {@code own} inside is {@code outside}; every other id of 0..count is the next subordinate id. */
    static String map(long own, long outside, SubordinateIds sub) {
        List<String> lines = new ArrayList<>();
        long below = Math.min(own, sub.count());
        if (below > 0) lines.add("0:" + sub.start() + ":" + below);
        lines.add(own + ":" + outside + ":1");
        if (sub.count() > below) lines.add((own + 1) + ":" + (sub.start() + below) + ":" + (sub.count() - below));
        return String.join(",", lines);
    }
}

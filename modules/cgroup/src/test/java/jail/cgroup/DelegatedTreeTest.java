package jail.cgroup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Finding the part of the v2 tree a user owns, from /proc/self/cgroup and the owners of its ancestors. */
class DelegatedTreeTest {
    private static final Path MOUNT = Path.of("/sys/fs/cgroup");
    private static final Path USER_SLICE = MOUNT.resolve("user.slice/user-1000.slice");
    private static final Path MANAGER = USER_SLICE.resolve("user@1000.service");
    private static final Path UNIT = MANAGER.resolve("app.slice/jaild-user.service");
    // What systemd makes: root's slices, the user's manager and everything below it the user's.
    private static final Map<Path, Integer> OWNERS = Map.of(MOUNT.resolve("user.slice"), 0, USER_SLICE, 0,
            MANAGER, 1000, MANAGER.resolve("app.slice"), 1000, UNIT, 1000, USER_SLICE.resolve("session-3.scope"), 0);

    private static Optional<Path> find(String procSelfCgroup, int uid) {
        return DelegatedTree.find(MOUNT, procSelfCgroup, uid, p -> OWNERS.getOrDefault(p, -1));
    }

    @Test
    void fromAUnitOfTheUsersManagerItIsTheManagersSubtree() {
        String cgroup = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/jaild-user.service\n";
        assertEquals(Optional.of(MANAGER), find(cgroup, 1000));
        // A hybrid host lists the v1 hierarchies first; only the 0:: line counts.
        assertEquals(Optional.of(MANAGER), find("4:memory:/user.slice\n1:name=systemd:/x\n" + cgroup, 1000));
    }

    @Test
    void aLoginScopeIsRootsSoThereIsNone() {
        assertEquals(Optional.empty(), find("0::/user.slice/user-1000.slice/session-3.scope\n", 1000));
    }

    @Test
    void anotherUsersTreeOrNoV2LineOrAPathOutsideIsNone() {
        String cgroup = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/jaild-user.service\n";
        assertEquals(Optional.empty(), find(cgroup, 1001));
        assertEquals(Optional.empty(), find("4:memory:/x\n", 1000));
        assertEquals(Optional.empty(), find("0::/../../etc\n", 1000));
        assertEquals(Optional.empty(), find("0::/\n", 1000));
    }
}

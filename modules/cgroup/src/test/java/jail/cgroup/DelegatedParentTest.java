package jail.cgroup;

import jail.cgroup.CgroupLayout.Hierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rootless container's cgroup under what was delegated to its user: v2 (a fake tree in a temporary
 * directory, laid out as the kernel and systemd would have it, since this host's v2 has no controllers) and v1
 * (what is refused, and why, when nothing is delegated).
 */
class DelegatedParentTest {
    private static final long M = 1L << 20;
    @TempDir
    Path mount;

    private CgroupLayout pureV2() {
        return CgroupLayout.parse(List.of("27 24 0:23 / " + mount + " rw - cgroup2 cgroup2 rw"), p -> "cpuset cpu io memory pids");
    }

    /** What the kernel shows in a cgroup directory; {@code subtree} is what its cgroup.subtree_control holds. */
    private static Path cgroup(Path dir, String controllers, String subtree) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), controllers);
        Files.writeString(dir.resolve("cgroup.subtree_control"), subtree);
        Files.writeString(dir.resolve("cgroup.procs"), "");
        return dir;
    }

    @Test
    void v2TheContainerGoesBelowTheDelegatedTreeWithItsInitInALeafAndItsLimitsWritten() throws Exception {
        // user@UID.service with Delegate=yes: its controllers enabled for its children by systemd.
        Path manager = cgroup(mount.resolve("user.slice/user-1.slice/user@1.service"), "cpu memory pids", "cpu memory pids");
        // What mkdir would show below it once enabled (files the kernel would create).
        Path jail = cgroup(manager.resolve("jail"), "cpu memory pids", "cpu memory pids");
        Path container = cgroup(jail.resolve("uid-1"), "cpu memory pids", "cpu memory pids");
        for (String f : List.of("memory.max", "memory.swap.max", "pids.max", "cpu.max")) Files.writeString(container.resolve(f), "");
        Path init = cgroup(container.resolve("init"), "cpu memory pids", "");

        CgroupParent parent = CgroupParent.delegatedTo(1, Optional.of(manager)); // v2: the tree is found by ownership, not checked again
        CgroupLimits limits = CgroupLimits.none().withMemoryBytes(64 * M).withPids(50).withCpus(0.5);
        ContainerCgroup cgroup = ContainerCgroup.create(pureV2(), parent, "uid-1", limits);

        assertEquals(List.of(container), cgroup.directories());
        assertEquals(List.of(container), cgroup.sessionParents());
        assertEquals("67108864", Files.readString(container.resolve("memory.max")));
        assertEquals("0", Files.readString(container.resolve("memory.swap.max")));
        assertEquals("50", Files.readString(container.resolve("pids.max")));
        assertEquals("50000 100000", Files.readString(container.resolve("cpu.max")));
        cgroup.attach(4242);
        assertEquals("4242", Files.readString(init.resolve("cgroup.procs")), "the init goes to the leaf");
        assertEquals("", Files.readString(container.resolve("cgroup.procs")));
        assertEquals(init, SessionCgroup.containerOf(container.resolve("session-1")), "a session's leftovers join the init");
    }

    @Test
    void v2FindsNothingWhereNoContainerCgroupWasMade() throws Exception {
        Path manager = cgroup(mount.resolve("user@1.service"), "cpu memory pids", "cpu memory pids");
        assertEquals(Optional.empty(), ContainerCgroup.find(pureV2(), CgroupParent.delegatedTo(1, Optional.of(manager)), "uid-1"));
    }

    @Test
    void v2WithoutADelegatedTreeOrAControllerSaysWhatToAskFor() throws Exception {
        Hierarchy v2 = new Hierarchy(mount, true);
        CgroupException none = assertThrows(CgroupException.class,
                () -> CgroupParent.delegatedTo(1000, Optional.empty()).prepare(v2, Controller.MEMORY));
        assertEquals("cgroup limits of a rootless container need a cgroup v2 subtree delegated to you (systemd: "
                + "user@1000.service with Delegate=yes, and jaild started from your user manager, e.g. systemctl --user "
                + "start jaild)", none.getMessage());

        Path manager = cgroup(mount.resolve("user@1000.service"), "cpu pids", "cpu pids"); // no memory delegated
        CgroupException lacking = assertThrows(CgroupException.class,
                () -> CgroupParent.delegatedTo(1000, Optional.of(manager)).prepare(v2, Controller.MEMORY));
        assertEquals("the cgroup v2 subtree delegated to you (" + manager + ") lacks the memory controller: ask the "
                + "admin to delegate memory, pids and cpu (systemd: Delegate=memory pids cpu in user@.service)", lacking.getMessage());
        assertFalse(Files.exists(manager.resolve("jail")), "nothing made");
    }

    @Test
    void v1WithoutAGrantSaysWhatToAskFor() throws Exception {
        Hierarchy memory = new Hierarchy(mount.resolve("memory"), false);
        Files.createDirectories(mount.resolve("memory/jail-user/1000")); // there, but not the user's
        CgroupException e = assertThrows(CgroupException.class,
                () -> CgroupParent.delegatedTo(1000, Optional.empty()).prepare(memory, Controller.MEMORY));
        assertEquals("cgroup limits of a rootless container need cgroups delegated to you: ask the admin to run "
                + "'jaild delegate 1000' (" + mount.resolve("memory/jail-user/1000") + " is not yours)", e.getMessage());
        assertEquals(mount.resolve("memory/jail-user/1000"), CgroupParent.delegatedTo(1000, Optional.empty()).directory(memory));
        assertEquals(mount.resolve("memory/jail"), CgroupParent.system().directory(memory));
    }

    @Test
    void sessionUsageReadsV2Files() throws Exception {
        Path session = cgroup(mount.resolve("session-1"), "cpu memory pids", "");
        Files.writeString(session.resolve("cpu.stat"), "usage_usec 250000\nuser_usec 200000\nsystem_usec 50000\n");
        Files.writeString(session.resolve("memory.peak"), "3565158\n");
        SessionCgroup s = SessionCgroup.create(List.of(mount), "session-1");
        assertEquals(new SessionUsage(OptionalLong.of(250_000_000L), OptionalLong.of(3565158)), s.usage());
        assertEquals("cpu 0.25 s, peak memory 3.4M", s.usage().describe());
        assertTrue(SessionUsage.NONE.describe().isEmpty());
    }
}

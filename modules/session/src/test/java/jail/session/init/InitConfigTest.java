package jail.session.init;

import jail.namespace.BindMount;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec of the init's configuration: what jaild encodes into the argument file, the init decodes. */
class InitConfigTest {
    private static final InitConfig SAMPLE = new InitConfig(61000, 61001, Path.of("/srv/jail/root"),
            Path.of("/run/jail/61000.sock"), Path.of("/run/jail/61000.state"), "box-1", 7, false, 12, 2500);

    private static final InitConfig FULL = new InitConfig(61000, 61000, Path.of("/srv/a=b c|d"), Path.of("/run/x=y.sock"),
            Path.of("/run/s"), "h=1", 3, true, 4, 1000, "centos",
            List.of(new BindMount(Path.of("/srv/data|x"), "/data", true), new BindMount(Path.of("/srv/logs"), "/var/log/app", false)),
            Map.of("B", "x=y \"q\" \\ \n", "A", ""), new ResourceLimits(1024, 64, 0), 9,
            new SyscallFilter(List.of("keyctl", SyscallFilter.NEW_USER_NAMESPACES)),
            new SessionTimeLimits(Duration.ofSeconds(3), Duration.ofHours(8)),
            new DetachPolicy(Duration.ofMinutes(5), DetachPolicy.Reattach.ALWAYS), false,
            List.of(Path.of("/sys/fs/cgroup/memory/jail/uid-61000"), Path.of("/sys/fs/cgroup/pids/jail/uid 61000=x")));

    private static InitConfig roundTrip(InitConfig c) throws Exception {
        return InitConfig.decode(c.encode().toArray(String[]::new));
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        assertEquals(SAMPLE, roundTrip(SAMPLE));
        assertEquals(FULL, roundTrip(FULL));
        assertEquals(FULL.binds(), roundTrip(FULL).binds());
        assertEquals(List.of("A", "B"), List.copyOf(roundTrip(FULL).environment().keySet()));
    }

    @Test
    void theContainersCgroupDirectoriesRoundTripInOrder() throws Exception {
        assertEquals(FULL.cgroups(), roundTrip(FULL).cgroups());
        assertEquals(List.of("--cgroup=/sys/fs/cgroup/memory/jail/uid-61000", "--cgroup=/sys/fs/cgroup/pids/jail/uid 61000=x"),
                FULL.encode().stream().filter(a -> a.startsWith("--cgroup=")).toList());
        assertEquals(List.of(), roundTrip(SAMPLE).cgroups(), "no cgroup: no accounting");
        assertTrue(SAMPLE.encode().stream().noneMatch(a -> a.startsWith("--cgroup")));
    }

    @Test
    void agentForwardingIsOnUnlessConfiguredOffAndRoundTripsEitherWay() throws Exception {
        assertTrue(SAMPLE.agentForwarding());
        assertTrue(roundTrip(SAMPLE).agentForwarding());
        assertFalse(roundTrip(FULL).agentForwarding());
        assertTrue(FULL.encode().contains("--agent-forwarding=false"), FULL.encode()::toString);
    }

    @Test
    void anUnconfinedContainerRoundTripsWithoutAFilter() throws Exception {
        InitConfig c = new InitConfig(1, 1, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", 3, true, 4, 1000,
                "u", List.of(), Map.of(), ResourceLimits.DEFAULTS, 8, SyscallFilter.UNCONFINED, SessionTimeLimits.NONE,
                DetachPolicy.NEVER, true);
        assertEquals(SyscallFilter.UNCONFINED, roundTrip(c).seccomp());
        assertFalse(roundTrip(c).seccomp().confines());
        assertEquals(DetachPolicy.NEVER, roundTrip(c).detachPolicy(), "a grace of zero: sessions end with their client");
    }

    @Test
    void theEncodingNamesEveryFieldAndGivesEachBindItsOwnArguments() {
        List<String> args = FULL.encode();
        assertTrue(args.contains("--uid=61000") && args.contains("--root=/srv/a=b c|d") && args.contains("--nofile=1024"), args::toString);
        assertTrue(args.contains("--max-duration=PT8H") && args.contains("--env=B=x=y \"q\" \\ \n"), args::toString);
        assertTrue(args.contains("--detach-grace=PT5M") && args.contains("--reattach=always"), args::toString);
        int bind = args.indexOf("--bind");
        assertEquals(List.of("--bind", "ro", "/srv/data|x", "/data"), args.subList(bind, bind + 4));
        assertEquals(List.of("--env=A=", "--env=B=x=y \"q\" \\ \n"), args.stream().filter(a -> a.startsWith("--env=")).toList(),
                "sorted by name");
    }

    @Test
    void theCommonCaseKeepsDetachedSessionsForAnHourAndAsks() throws Exception {
        assertEquals(DetachPolicy.DEFAULT, roundTrip(SAMPLE).detachPolicy());
    }

    @Test
    void thePtyMaximumIsTwiceTheSessionsInTheCommonCase() {
        assertEquals(24, SAMPLE.maxPtys());
    }

    private static String[] without(String key) {
        return FULL.encode().stream().filter(a -> !a.startsWith("--" + key + "=")).toArray(String[]::new);
    }

    private static String[] with(String... extra) {
        List<String> args = new java.util.ArrayList<>(FULL.encode());
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static String rejection(String[] args) {
        return assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(args)).getMessage();
    }

    @Test
    void aMissingArgumentIsNamed() {
        for (String key : List.of("uid", "gid", "root", "socket", "state", "hostname", "nofile", "seccomp-deny", "idle-timeout",
                "detach-grace", "reattach", "agent-forwarding")) {
            assertEquals("missing init argument --" + key, rejection(without(key)));
        }
        assertEquals("missing init argument --uid", rejection(new String[0]));
    }

    @Test
    void unknownRepeatedOrMalformedArgumentsAreRejected() {
        assertEquals("unknown init argument --colour", rejection(with("--colour=red")));
        assertEquals("repeated init argument: --uid=0", rejection(with("--uid=0")), "a later argument never wins");
        assertEquals("repeated init argument: --env=A=1", rejection(with("--env=A=1")));
        assertEquals("repeated init argument: --cgroup=/sys/fs/cgroup/memory/jail/uid-61000",
                rejection(with("--cgroup=/sys/fs/cgroup/memory/jail/uid-61000")));
        assertTrue(rejection(with("--cgroup=relative")).startsWith("the configuration: cgroup relative is not an absolute path"));
        assertEquals("bad init argument: uid=2", rejection(with("uid=2")));
        assertEquals("bad init argument: --env=X (expected --env=NAME=VALUE)", rejection(with("--env=X")));
        assertEquals("--bind needs three arguments: ro or rw, SOURCE, TARGET", rejection(with("--bind", "ro", "/a")));
        assertEquals("--bind rx: expected ro or rw", rejection(with("--bind", "rx", "/a", "/b")));
        assertTrue(rejection(with("--bind", "ro", "relative", "/b")).startsWith("--bind: "));
    }

    @Test
    void aValueOfTheWrongTypeOrRangeIsRejected() {
        String[] args = FULL.encode().toArray(String[]::new);
        for (String[] bad : List.of(new String[]{"--uid=61000", "--uid=abc"}, new String[]{"--no-new-privs=true", "--no-new-privs=yes"},
                new String[]{"--max-sessions=4", "--max-sessions=0"}, new String[]{"--root=/srv/a=b c|d", "--root=relative"},
                new String[]{"--idle-timeout=PT3S", "--idle-timeout=30m"}, new String[]{"--nproc=64", "--nproc=many"},
                new String[]{"--detach-grace=PT5M", "--detach-grace=-PT1S"}, new String[]{"--reattach=always", "--reattach=sometimes"},
                new String[]{"--agent-forwarding=false", "--agent-forwarding=no"})) {
            String[] changed = java.util.Arrays.stream(args).map(a -> a.equals(bad[0]) ? bad[1] : a).toArray(String[]::new);
            assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(changed), bad[1]);
        }
    }
}

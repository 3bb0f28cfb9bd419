package jail.session.init;

import org.junit.jupiter.api.Test;

import jail.namespace.spawn.SyscallFilter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InitConfigTest {
    private static final InitConfig SAMPLE = new InitConfig(61000, 61001, Path.of("/srv/jail/root"),
            Path.of("/run/jail/61000.sock"), Path.of("/run/jail/61000.state"), "box-1", 7, false, 12, 2500);

    @Test
    void toArgsListsEveryField() {
        assertArrayEquals(new String[]{"--uid=61000", "--gid=61001", "--root=/srv/jail/root",
                "--socket=/run/jail/61000.sock", "--state=/run/jail/61000.state", "--hostname=box-1", "--ready-fd=7",
                "--no-new-privs=false", "--max-sessions=12", "--hello-timeout-ms=2500", "--name=61000",
                "--nofile=-1", "--nproc=-1", "--core=-1", "--max-ptys=24",
                "--seccomp-deny=" + String.join(",", SyscallFilter.DEFAULT.denied()),
                "--idle-timeout-ms=0", "--max-duration-ms=0", "--detach-grace-ms=3600000", "--reattach=ask"}, SAMPLE.toArgs());
    }

    @Test
    void timeLimitsRoundTrip() {
        InitConfig c = new InitConfig(1, 1, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", 3, true, 4, 1000,
                "n", List.of(), List.of(), -1, -1, -1, 8, SyscallFilter.DEFAULT,
                new SessionTimeLimits(java.time.Duration.ofSeconds(3), java.time.Duration.ofHours(8)));
        assertEquals(c, InitConfig.parse(c.toArgs()));
    }

    @Test
    void repeatableBindsAndEnvironmentRoundTrip() {
        InitConfig c = new InitConfig(61000, 61000, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", 3, true, 4, 1000,
                "centos", List.of("/srv/data|/data|ro", "/srv/logs|/var/log/app|rw"), List.of("A=1", "B=x=y"), 1024, 64, 0, 9,
                new SyscallFilter(List.of("keyctl", SyscallFilter.NEW_USER_NAMESPACES)));
        assertEquals(c, InitConfig.parse(c.toArgs()));
        assertEquals(List.of("/srv/data|/data|ro", "/srv/logs|/var/log/app|rw"), InitConfig.parse(c.toArgs()).binds());
    }

    @Test
    void anUnconfinedContainerRoundTripsWithoutAFilter() {
        InitConfig c = new InitConfig(1, 1, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", 3, true, 4, 1000,
                "u", List.of(), List.of(), -1, -1, -1, 8, SyscallFilter.UNCONFINED);
        assertEquals(SyscallFilter.UNCONFINED, InitConfig.parse(c.toArgs()).seccomp());
        assertFalse(InitConfig.parse(c.toArgs()).seccomp().confines());
    }

    @Test
    void roundTrip() {
        assertEquals(SAMPLE, InitConfig.parse(SAMPLE.toArgs()));
    }

    @Test
    void roundTripWithEmptyHostnameAndDefaults() {
        InitConfig c = new InitConfig(0, 0, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", -1, true, 256, 10000);
        assertEquals(c, InitConfig.parse(c.toArgs()));
    }

    @Test
    void pathsWithEqualsSignsAndSpaces() {
        InitConfig c = new InitConfig(5, 6, Path.of("/srv/a=b c"), Path.of("/run/x=y.sock"), Path.of("/run/s"), "h=1", 3,
                true, 1, 1);
        assertEquals(c, InitConfig.parse(c.toArgs()));
    }

    @Test
    void defaultsForOptionalArguments() {
        InitConfig c = InitConfig.parse(new String[]{"--uid=1", "--gid=2", "--root=/r", "--socket=/s", "--state=/t"});
        assertEquals(new InitConfig(1, 2, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", -1, true, 256, 10000), c);
    }

    @Test
    void thePtyMaximumIsTwiceTheSessionsUnlessGiven() {
        String[] required = {"--uid=1", "--gid=2", "--root=/r", "--socket=/s", "--state=/t"};
        assertEquals(512, InitConfig.parse(required).maxPtys());
        String[] more = java.util.stream.Stream.concat(java.util.Arrays.stream(required), java.util.stream.Stream.of("--max-sessions=3"))
                .toArray(String[]::new);
        assertEquals(6, InitConfig.parse(more).maxPtys());
        String[] given = java.util.stream.Stream.concat(java.util.Arrays.stream(more), java.util.stream.Stream.of("--max-ptys=1"))
                .toArray(String[]::new);
        assertEquals(1, InitConfig.parse(given).maxPtys());
    }

    @Test
    void missingRequiredArgumentIsNamed() {
        for (String key : List.of("uid", "gid", "root", "socket", "state")) {
            List<String> args = new ArrayList<>(Arrays.asList(SAMPLE.toArgs()));
            args.removeIf(a -> a.startsWith("--" + key + "="));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InitConfig.parse(args.toArray(String[]::new)));
            assertEquals("missing init argument --" + key, e.getMessage());
        }
    }

    @Test
    void noArgumentsAtAll() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitConfig.parse(new String[0]));
        assertEquals("missing init argument --uid", e.getMessage());
    }

    @Test
    void malformedArgumentIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InitConfig.parse(new String[]{"--uid=1", "uid=2"}));
        assertEquals("bad init argument: uid=2", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> InitConfig.parse(new String[]{"--uid"}));
        assertEquals("bad init argument: --uid", e2.getMessage());
    }

    @Test
    void nonNumericUidIsRejected() {
        String[] args = SAMPLE.toArgs();
        args[0] = "--uid=abc";
        assertThrows(NumberFormatException.class, () -> InitConfig.parse(args));
    }

    @Test
    void laterArgumentWins() {
        String[] args = Arrays.copyOf(SAMPLE.toArgs(), SAMPLE.toArgs().length + 1);
        args[args.length - 1] = "--max-sessions=3";
        assertEquals(3, InitConfig.parse(args).maxSessions());
    }
}

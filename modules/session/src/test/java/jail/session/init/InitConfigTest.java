package jail.session.init;

import io.vertx.core.json.JsonObject;
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
            new SessionTimeLimits(Duration.ofSeconds(3), Duration.ofHours(8)));

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
    void anUnconfinedContainerRoundTripsWithoutAFilter() throws Exception {
        InitConfig c = new InitConfig(1, 1, Path.of("/r"), Path.of("/s"), Path.of("/t"), "", 3, true, 4, 1000,
                "u", List.of(), Map.of(), ResourceLimits.DEFAULTS, 8, SyscallFilter.UNCONFINED, SessionTimeLimits.NONE);
        assertEquals(SyscallFilter.UNCONFINED, roundTrip(c).seccomp());
        assertFalse(roundTrip(c).seccomp().confines());
    }

    @Test
    void theEncodingIsOneArgumentNamingEveryField() {
        List<String> args = FULL.encode();
        assertEquals(1, args.size());
        JsonObject o = new JsonObject(args.getFirst());
        assertEquals("/srv/data|x", o.getJsonArray("binds").getJsonObject(0).getString("source"));
        assertEquals(1024, o.getJsonObject("rlimits").getInteger("nofile"));
        assertEquals("PT8H", o.getJsonObject("timeLimits").getString("maxDuration"));
        assertFalse(args.getFirst().contains("\n"), "one line in the argument file");
    }

    @Test
    void thePtyMaximumIsTwiceTheSessionsInTheCommonCase() {
        assertEquals(24, SAMPLE.maxPtys());
    }

    @Test
    void aMissingFieldIsNamed() {
        for (String key : List.of("uid", "root", "socket", "rlimits", "binds", "environment")) {
            JsonObject o = new JsonObject(FULL.encode().getFirst());
            o.remove(key);
            var e = assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(new String[]{o.encode()}));
            assertEquals("InitConfig lacks " + key, e.getMessage());
        }
        JsonObject nested = new JsonObject(FULL.encode().getFirst());
        nested.getJsonArray("binds").getJsonObject(0).remove("readOnly");
        var e = assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(new String[]{nested.encode()}));
        assertEquals("BindMount lacks readOnly", e.getMessage());
    }

    @Test
    void whatIsNotOneJsonConfigurationIsRejected() {
        assertTrue(assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(new String[0]))
                .getMessage().contains("got 0"));
        assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(new String[]{"--uid=1", "--gid=2"}));
        assertTrue(assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(new String[]{"--uid=1"}))
                .getMessage().contains("not a JSON object"));
    }

    @Test
    void aFieldOfTheWrongTypeOrValueIsRejected() {
        for (var bad : List.of(Map.<String, Object>of("uid", "abc"), Map.of("maxSessions", 0), Map.of("root", "relative"),
                Map.of("binds", List.of(Map.of("source", "/a", "target", "rel", "readOnly", true))),
                Map.of("timeLimits", Map.of("idle", "30m", "maxDuration", "PT0S")), Map.of("environment", List.of("A=1")))) {
            JsonObject o = new JsonObject(FULL.encode().getFirst());
            bad.forEach(o::put);
            assertThrows(InitConfig.InitConfigException.class, () -> InitConfig.decode(new String[]{o.encode()}), bad::toString);
        }
    }
}

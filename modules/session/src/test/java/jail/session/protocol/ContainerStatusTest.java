package jail.session.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerStatusTest {

    private static ContainerStatus sample() {
        Instant t = Instant.parse("2026-12-07T03:00:14.123456Z");
        return new ContainerStatus(61000, 61000, "/srv/c", t, 2, 17, 23, List.of(
                new ContainerStatus.Session(24, "work", 61000, "ssh 10.0.0.1 5000", t, "terminal", "/dev/pts/0", null,
                        250_000_000L, 5_000_000_000L, true),
                new ContainerStatus.Session(31, "w\u001b[31m\n", 61000, "local", t, "pipes", null, "sleep 60\n#\u001b]0;x\u0007",
                        null, null, false)));
    }

    @Test
    void roundTripKeepsEveryFieldAsItIs() throws Exception {
        assertEquals(sample(), ContainerStatus.fromJson(sample().toJson()));
    }

    @Test
    void theDocumentCarriesItsVersionAndNamedFields() {
        JsonObject o = new JsonObject(sample().toJson());
        assertEquals(ContainerStatus.VERSION, o.getInteger("version"));
        assertEquals(61000, o.getInteger("uid"));
        assertEquals("2026-12-07T03:00:14.123456Z", o.getString("started"));
        assertTrue(o.getJsonArray("sessions").getJsonObject(0).getBoolean("detached"));
        assertEquals("sleep 60\n#\u001b]0;x\u0007", o.getJsonArray("sessions").getJsonObject(1).getString("command"));
        assertTrue(!sample().toJson().contains("\u001b"), "JSON escapes control characters");
        assertEquals(5_000_000_000L, o.getJsonArray("sessions").getJsonObject(0).getLong("peakMemoryBytes"));
        assertTrue(!o.getJsonArray("sessions").getJsonObject(1).containsKey("cpuNanos"), "no cgroup: no usage field");
    }

    @Test
    void fieldsAnOlderInitLacksGetDefaultsAndUnknownFieldsAreIgnored() throws Exception {
        ContainerStatus s = ContainerStatus.fromJson("{\"version\":1,\"uid\":5,\"sessions\":[{\"pid\":7,\"cpu\":3}],\"newer\":true}");
        assertEquals(5, s.uid());
        assertNull(s.root());
        assertEquals(0, s.threads());
        assertEquals(7, s.sessions().getFirst().pid());
        assertNull(s.sessions().getFirst().command());
        assertNull(s.sessions().getFirst().cpuNanos(), "usage unknown, not 0");
        assertFalse(s.sessions().getFirst().detached());
        assertEquals(List.of(), ContainerStatus.fromJson("{\"version\":1}").sessions());
    }

    @Test
    void anotherVersionIsRefusedWithBothVersions() {
        var e = assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"version\":2,\"uid\":5}"));
        assertTrue(e.getMessage().contains("version 2, this jaild reads version 1"), e.getMessage());
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"uid\":5}"));
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"version\":\"1\"}"));
    }

    @Test
    void theTextOfAnInitBeforeJsonIsRecognisedAsSuch() {
        var e = assertThrows(StatusFormatException.class,
                () -> ContainerStatus.fromJson("uid=61000\ngid=61000\nroot=/srv/c\nsessions=0\n"));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    }

    @Test
    void aFieldOfTheWrongTypeIsAFormatErrorNotACrash() {
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"version\":1,\"uid\":\"x\"}"));
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"version\":1,\"started\":\"yesterday\"}"));
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"version\":1,\"sessions\":{\"pid\":1}}"));
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("{\"version\":1,\"uid\":99999999999}"));
        assertThrows(StatusFormatException.class, () -> ContainerStatus.fromJson("[1]"));
    }
}

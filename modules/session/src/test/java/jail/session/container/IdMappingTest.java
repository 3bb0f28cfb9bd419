package jail.session.container;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class IdMappingTest {
    private static final Optional<SubordinateIds> RANGE = Optional.of(new SubordinateIds(2_000_000_000L, 65536));

    @Test
    void withoutSubordinateIdsTheUserIsTheOnlyId() {
        IdMapping m = IdMapping.of(1000, 1000, 1000, 100, Optional.empty(), Optional.empty());
        assertEquals("1000:1000:1", m.uidMap());
        assertEquals("1000:100:1", m.gidMap());
        assertFalse(m.subordinate());
        assertEquals("0:1000:1", IdMapping.of(0, 0, 1000, 100, Optional.empty(), RANGE).uidMap(), "both ranges are needed");
    }

    @Test
    void withRangesEveryOtherIdIsSubordinateAndTheUserStaysItself() {
        IdMapping m = IdMapping.of(1000, 1000, 1000, 100, RANGE, RANGE);
        assertEquals("0:2000000000:1000,1000:1000:1,1001:2000001000:64536", m.uidMap());
        assertEquals("0:2000000000:1000,1000:100:1,1001:2000001000:64536", m.gidMap());
        assertTrue(m.subordinate());
    }

    @Test
    void rootInsideIsTheUser() {
        assertEquals("0:61600:1,1:2000000000:65536", IdMapping.of(0, 0, 61600, 100, RANGE, RANGE).uidMap());
    }

    @Test
    void aUidAboveTheRangeKeepsTheWholeRangeBelowIt() {
        assertEquals("0:2000000000:65536,70000:70000:1", IdMapping.map(70000, 70000, RANGE.get()));
    }
}

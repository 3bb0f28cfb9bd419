package jail.session.init;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class OutputRingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String drain(OutputRing r) {
        return new String(r.drain(), StandardCharsets.US_ASCII);
    }

    @Test
    void keepsWhatFits() {
        OutputRing r = new OutputRing(8);
        r.write(b("abc"), 0, 3);
        r.write(b("de"), 0, 2);
        assertEquals("abcde", drain(r));
        assertEquals(0, r.size());
        assertEquals(0, r.dropped());
    }

    @Test
    void theOldestGiveWayAcrossTheWrap() {
        OutputRing r = new OutputRing(8);
        r.write(b("123456"), 0, 6);
        r.write(b("abcde"), 0, 5);
        assertEquals(8, r.size());
        assertEquals(3, r.dropped());
        assertEquals("456abcde", drain(r));
        r.write(b("xy"), 0, 2);
        assertEquals("xy", drain(r));
    }

    @Test
    void aWriteLargerThanTheRingKeepsItsTail() {
        OutputRing r = new OutputRing(4);
        r.write(b("ab"), 0, 2);
        r.write(b("0123456789"), 2, 8);
        assertEquals("6789", drain(r));
        assertEquals(2 + 4, r.dropped());
    }

    @Test
    void manyWritesNeverHoldMoreThanTheCapacity() {
        OutputRing r = new OutputRing(OutputRing.capacityFor(1));
        byte[] y = b("y\n".repeat(3000));
        for (int i = 0; i < 10_000; i++) r.write(y, 0, y.length);
        assertEquals(OutputRing.MOST, r.size());
        assertEquals(OutputRing.MOST, r.drain().length);
    }

    @Test
    void theContainerTotalIsShared() {
        assertEquals(64 * 1024, OutputRing.capacityFor(1));
        assertEquals(64 * 1024, OutputRing.capacityFor(128));
        assertEquals(32 * 1024, OutputRing.capacityFor(256));
        assertEquals(4 * 1024, OutputRing.capacityFor(100_000)); // at least a screenful, beyond the total
        assertTrue(256L * OutputRing.capacityFor(256) <= OutputRing.TOTAL);
    }
}

package jail.session.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class DetachKeyTest {
    private static DetachKey.Typed type(DetachKey k, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return k.filter(b, b.length);
    }

    private static String sent(DetachKey.Typed t) {
        return new String(t.bytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void enterTildeDDetaches() {
        DetachKey k = DetachKey.of(null);
        DetachKey.Typed t = type(k, "ls\r~dmore");
        assertTrue(t.detach());
        assertEquals("ls\r", sent(t));
    }

    @Test
    void theFirstKeyOfASessionIsAtTheStartOfALine() {
        assertTrue(type(DetachKey.of(null), "~d").detach());
    }

    @Test
    void theSequenceMaySpanReads() {
        DetachKey k = DetachKey.of(null);
        DetachKey.Typed first = type(k, "echo\r~");
        assertEquals("echo\r", sent(first));
        assertFalse(first.detach());
        assertTrue(type(k, "d").detach());
    }

    @Test
    void aTildeElsewhereIsTyped() {
        DetachKey k = DetachKey.of(null);
        DetachKey.Typed t = type(k, "cd ~d\r~/bin\r~~d\r");
        assertFalse(t.detach());
        assertEquals("cd ~d\r~/bin\r~d\r", sent(t));
    }

    @Test
    void anotherEscapeCharacterOrNone() {
        assertTrue(type(DetachKey.of("%"), "x\n%d").detach());
        assertFalse(type(DetachKey.of("%"), "x\n~d").detach());
        DetachKey.Typed off = type(DetachKey.of("none"), "\r~d");
        assertFalse(off.detach());
        assertEquals("\r~d", sent(off));
        assertEquals("none", DetachKey.OFF.describe());
        assertEquals("Enter ~d", DetachKey.of(null).describe());
    }

    @Test
    void aBadEscapeCharacterIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DetachKey.of("ab"));
        assertThrows(IllegalArgumentException.class, () -> DetachKey.of(" "));
    }
}

package jail.session.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static jail.session.text.ControlEscape.escape;
import static org.junit.jupiter.api.Assertions.*;

class ControlEscapeTest {

    @Test
    void printableTextIsKept() {
        assertEquals("ls -l /home/work 'a b' \"c\" é ü 日本 😀 ~", escape("ls -l /home/work 'a b' \"c\" é ü 日本 😀 ~"));
    }

    @Test
    void c0ControlsAreEscaped() {
        assertEquals("true\\n2026 forged", escape("true\n2026 forged"));
        assertEquals("\\r\\t\\e]0;x\\a", escape("\r\t\u001b]0;x\u0007"));
        assertEquals("\\x00\\x01\\x08\\x1f", escape("\u0000\u0001\u0008\u001f"));
    }

    @Test
    void delIsEscaped() {
        assertEquals("a\\x7fb", escape("a\u007fb"));
    }

    @Test
    void c1ControlsAreEscaped() {
        assertEquals("\\u0080\\u009b31m\\u009f", escape("\u0080\u009b31m\u009f"));
        assertEquals("\u00a0", escape("\u00a0"), "the first character after C1 is printable");
    }

    @Test
    void lineSeparatorsAndLoneSurrogatesAreEscaped() {
        assertEquals("a\\u2028b\\u2029c", escape("a\u2028b\u2029c"));
        assertEquals("\\ud800x\\udc00", escape("\ud800x\udc00"));
    }

    @Test
    void theBackslashItselfIsEscaped() {
        assertEquals("\\\\n is not a newline", escape("\\n is not a newline"));
        assertEquals("\\\\\\n", escape("\\\n"));
    }

    @Test
    void invalidUtf8BytesAreEscapedAndValidOnesDecoded() {
        byte[] bytes = {'o', 'k', (byte) 0xff, ' ', (byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xc3, ' ', (byte) 0x9b, 0x1b};
        assertEquals("ok\\xff é \\xc3 \\x9b\\e", escape(bytes));
        assertEquals("日本", escape("日本".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", escape(new byte[0]));
    }

    @Test
    void theResultIsOneLineWithoutControlCharacters() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) all.append(c);
        String escaped = escape(all.toString());
        escaped.chars().forEach(c -> assertFalse(c < 0x20 || c >= 0x7f && c <= 0x9f, "control " + c + " left"));
    }

    @Test
    void nullStaysNull() {
        assertNull(escape((String) null));
    }
}

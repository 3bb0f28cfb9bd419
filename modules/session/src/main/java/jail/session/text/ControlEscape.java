package jail.session.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Makes text that a container user chose (commands, user names, origins, paths) safe to print on one line of
 * a log or on root's terminal: every character a terminal or a log reader would act on is written as a
 * visible escape, so a newline cannot start a forged line and ESC cannot reach root's terminal.
 *
 * <ul>
 *   <li>{@code \} becomes {@code \\}, so that escapes cannot be forged either;</li>
 *   <li>{@code \n \r \t}, ESC ({@code \e}) and BEL ({@code \a}) get their usual names;</li>
 *   <li>other C0 controls and DEL become {@code \xNN};</li>
 *   <li>C1 controls (U+0080..U+009F: some terminals take U+009B as CSI), the Unicode line and paragraph
 *       separators and unpaired surrogates become {@code &#92;uNNNN};</li>
 *   <li>bytes that are not UTF-8 ({@link #escape(byte[])}) become {@code \xNN}.</li>
 * </ul>
 * Everything else, including non-ASCII letters, is kept as it is.
 */
public final class ControlEscape {
    private ControlEscape() {}

    public static String escape(String text) {
        if (text == null) return null;
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                append(out, c);
            }
        }
        return out.toString();
    }

    /** As {@link #escape(String)} for raw bytes: valid UTF-8 is decoded, every other byte is written as \xNN. */
    public static String escape(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        while (true) {
            CoderResult result = decoder.decode(in, chars, true);
            chars.flip();
            out.append(escape(chars.toString()));
            chars.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) hex(out, in.get() & 0xff);
            } else if (!in.hasRemaining()) {
                return out.toString();
            }
        }
    }

    private static void append(StringBuilder out, char c) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x1b -> out.append("\\e");
            case 0x07 -> out.append("\\a");
            default -> {
                if (c < 0x20 || c == 0x7f) hex(out, c);
                else if (c >= 0x80 && c <= 0x9f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }

    private static void hex(StringBuilder out, int b) {
        out.append(String.format("\\x%02x", b));
    }
}

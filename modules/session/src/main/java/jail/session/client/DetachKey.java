package jail.session.client;

import java.io.ByteArrayOutputStream;

/**
 * The key sequence that detaches a terminal session on purpose: the escape character (default {@code ~}) at the
 * start of a line, then {@code d}, as ssh's escapes are typed ({@code <Enter>~.}). Why this one: single control
 * keys are all taken (C-\ is SIGQUIT in a shell, C-a and C-b are screen's and tmux's prefixes, C-] is telnet's,
 * C-^ is mosh's and vi's); a tilde at the start of a line is rare, ssh users know the form already, and ssh
 * passes {@code ~d} through untouched (it is none of its own escapes), so it works through an ssh connection too.
 * {@code ~~} sends one {@code ~}; a tilde followed by anything else is sent as typed. The escape character can be
 * changed or turned off ({@code jail -e CHAR|none}, or {@code JAIL_ESCAPE}), as with {@code ssh -e}.
 */
public final class DetachKey {
    public static final char DEFAULT_ESCAPE = '~';
    public static final char DETACH = 'd';
    public static final DetachKey OFF = new DetachKey(-1);

    private final int escape;
    private boolean lineStart = true;
    private boolean escaped;

    private DetachKey(int escape) {
        this.escape = escape;
    }

    /** {@code none} turns the key off; otherwise one character (ASCII: it is matched as one byte). */
    public static DetachKey of(String spec) {
        if (spec == null) return new DetachKey(DEFAULT_ESCAPE);
        if (spec.equals("none")) return OFF;
        if (spec.length() != 1 || spec.charAt(0) > 0x7e || spec.charAt(0) < 0x21) {
            throw new IllegalArgumentException("the escape character must be one printable ASCII character or 'none', not '" + spec + "'");
        }
        return new DetachKey(spec.charAt(0));
    }

    /** What typing {@code n} bytes of {@code in} sends, and whether it ended with the detach sequence. */
    public record Typed(byte[] bytes, boolean detach) {}

    public Typed filter(byte[] in, int n) {
        if (escape < 0) return new Typed(java.util.Arrays.copyOf(in, n), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 1);
        for (int i = 0; i < n; i++) {
            int b = in[i] & 0xff;
            if (escaped) {
                escaped = false;
                if (b == DETACH) return new Typed(out.toByteArray(), true); // what follows is not for the session
                if (b != escape) out.write(escape);
                out.write(b);
            } else if (lineStart && b == escape) {
                escaped = true; // held until the next key says what it was
            } else {
                out.write(b);
            }
            lineStart = b == '\r' || b == '\n';
        }
        return new Typed(out.toByteArray(), false);
    }

    /** The sequence as people type it, for help texts. */
    public String describe() {
        return escape < 0 ? "none" : "Enter " + (char) escape + DETACH;
    }
}

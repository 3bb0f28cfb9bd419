package jail.session.init;

import java.time.Duration;
import java.util.Locale;

/**
 * What a container does with a terminal session whose client is gone: keep it for {@code grace} (zero: hang it
 * up at once, as before version 2 of the protocol), and whether a login without a command that finds detached
 * sessions reattaches the latest ({@code reattach}).
 *
 * <p>The default grace is one hour: it covers a dropped Wi-Fi, a commute or a laptop closed over lunch, which is
 * what people lose sessions to, while a session forgotten overnight still ends and gives back its slot, its pty
 * and its output buffer. Whoever wants days uses tmux inside, on purpose.
 */
public record DetachPolicy(Duration grace, Reattach reattach) {
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    public static final DetachPolicy DEFAULT = new DetachPolicy(DEFAULT_GRACE, Reattach.ASK);
    /** Hang up at once, as before. */
    public static final DetachPolicy NEVER = new DetachPolicy(Duration.ZERO, Reattach.NEVER);

    /** A login without a command that finds detached sessions: asks (the default), reattaches, or starts anew. */
    public enum Reattach {
        ASK, ALWAYS, NEVER;

        public static Reattach parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not one of ask, always, never");
            }
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DetachPolicy {
        if (grace.isNegative()) throw new IllegalArgumentException("a detach grace cannot be negative");
    }

    /** Whether a session outlives its client at all. */
    public boolean keepsSessions() {
        return !grace.isZero();
    }
}

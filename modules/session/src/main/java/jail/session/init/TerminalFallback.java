package jail.session.init;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The terminal type a session gets when the container lacks the client's: the closest description it has,
 * tried in order. A family's own entries come first (a multiplexer's key and title sequences matter more than
 * colours), with the 256-colour variants ahead for a client that has them; then xterm's, which nearly every
 * emulator speaks; then vt100, which everything speaks, also when the container has no terminfo at all (a
 * busybox root: its programs carry their own ANSI sequences).
 * <pre>
 *   tmux-256color   tmux-256color screen-256color xterm-256color tmux screen xterm vt100
 *   screen*         screen-256color xterm-256color screen xterm vt100   (256-colour client; else screen xterm vt100)
 *   rxvt*           rxvt-unicode-256color rxvt-256color xterm-256color rxvt-unicode rxvt xterm vt100
 *   putty*, konsole* as rxvt: their own, then xterm's
 *   xterm*, kitty, alacritty, foot, wezterm, ghostty, others: xterm-256color xterm vt100
 *   linux*          linux vt220 vt102 vt100   (a console, not an xterm)
 *   vt*             vt220 vt102 vt100
 * </pre>
 * "dumb" (asks for nothing) is always kept.
 */
final class TerminalFallback {
    static final String LAST_RESORT = "vt100";
    private static final List<String> TRUECOLOR_EMULATORS = List.of("kitty", "ghostty", "alacritty", "foot", "wezterm", "contour");

    private TerminalFallback() {}

    /** {@code term} if the container has it, else the first of its chain that it has, else vt100. */
    static String choose(String term, Predicate<String> has) {
        if (term.equals("dumb") || has.test(term)) return term;
        for (String candidate : chain(term)) {
            if (has.test(candidate)) return candidate;
        }
        return LAST_RESORT;
    }

    /** The candidates after {@code term} itself, closest first, ending with vt100. */
    static List<String> chain(String term) {
        List<String> family;
        boolean console = false;
        if (term.startsWith("tmux")) family = List.of("tmux", "screen");
        else if (term.startsWith("screen")) family = List.of("screen");
        else if (term.startsWith("rxvt")) family = List.of("rxvt-unicode", "rxvt");
        else if (term.startsWith("putty")) family = List.of("putty");
        else if (term.startsWith("konsole")) family = List.of("konsole");
        else if (term.startsWith("linux")) {
            family = List.of("linux", "vt220", "vt102");
            console = true;
        } else if (term.startsWith("vt")) {
            family = List.of("vt220", "vt102");
            console = true;
        } else family = List.of();

        LinkedHashSet<String> chain = new LinkedHashSet<>();
        if (!console && richColour(term)) {
            for (String f : family) chain.add(f + "-256color");
            chain.add("xterm-256color");
        }
        chain.addAll(family);
        if (!console) chain.add("xterm");
        chain.add(LAST_RESORT);
        chain.remove(term);
        return new ArrayList<>(chain);
    }

    private static boolean richColour(String term) {
        if (term.contains("256color") || term.contains("direct") || term.contains("truecolor")) return true;
        for (String e : TRUECOLOR_EMULATORS) if (term.contains(e)) return true;
        return false;
    }
}

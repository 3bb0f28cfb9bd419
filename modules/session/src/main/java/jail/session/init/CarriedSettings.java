package jail.session.init;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits the terminal type and the locale a client carried in to what the container has: a TERM without a
 * terminfo entry becomes the closest one there ({@link TerminalFallback}), a LANG or LC_* the container's
 * glibc cannot load becomes C.UTF-8 (C where there is no C.UTF-8). Programs inside then draw and decode
 * correctly instead of failing on "unknown terminal type" or warning about the locale on every start.
 * Runs on the spawner thread, inside the container's mount namespace.
 */
final class CarriedSettings {
    private final TerminfoDatabase terminfo;
    private final LocaleCatalog locales;

    CarriedSettings(TerminfoDatabase terminfo, LocaleCatalog locales) {
        this.terminfo = terminfo;
        this.locales = locales;
    }

    /** Replaces, in {@code env}, what the container lacks; returns one line per replacement, for the log. */
    List<String> fit(List<String> env) {
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            int eq = entry.indexOf('=');
            String name = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            String fitted = value;
            if (name.equals("TERM")) {
                fitted = TerminalFallback.choose(value, terminfo::has);
                if (!fitted.equals(value)) {
                    changes.add("TERM " + value + " has no terminfo entry in the container: using " + fitted);
                }
            } else if (isLocaleVariable(name) && !value.isEmpty() && !locales.has(value)) {
                fitted = locales.fallback();
                changes.add("locale " + name + "=" + value + " is not in the container: using " + fitted);
            }
            if (!fitted.equals(value)) env.set(i, name + "=" + fitted);
        }
        return changes;
    }

    /** LANG and LC_*, as sshd's default AcceptEnv; LANGUAGE is a list for messages and falls back by itself. */
    static boolean isLocaleVariable(String name) {
        return name.equals("LANG") || name.startsWith("LC_");
    }
}

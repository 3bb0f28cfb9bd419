package jail.session.init;

/**
 * A locale name as glibc looks it up: {@code language[_territory][.codeset][@modifier]}, tried as given and
 * with the codeset normalised as {@code _nl_normalize_codeset} does (lower case, only letters and digits,
 * "iso" before an all-digit one): en_US.UTF-8 is stored as en_US.utf8, de_DE.ISO-8859-1 as de_DE.iso88591.
 */
final class LocaleName {
    private LocaleName() {}

    static String normalize(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) return name;
        int at = name.indexOf('@', dot);
        String codeset = name.substring(dot + 1, at < 0 ? name.length() : at);
        StringBuilder n = new StringBuilder();
        boolean digitsOnly = true;
        for (int i = 0; i < codeset.length(); i++) {
            char c = codeset.charAt(i);
            if (c < 128 && Character.isLetter(c)) {
                n.append(Character.toLowerCase(c));
                digitsOnly = false;
            } else if (c >= '0' && c <= '9') {
                n.append(c);
            }
        }
        if (digitsOnly) n.insert(0, "iso");
        return name.substring(0, dot + 1) + n + (at < 0 ? "" : name.substring(at));
    }

    /** A name glibc would look up in the locale directory (one with a slash is a path to glibc). */
    static boolean isPlainName(String name) {
        return !name.isEmpty() && name.length() <= 128 && name.indexOf('/') < 0 && name.charAt(0) != '.';
    }
}

package jail.session.init;

/**
 * The client variables that cross into a container: locale, time zone, and what sshd sets for a session.
 * The client sends only these and the init accepts only these; anything else of the host stays out.
 */
public final class SessionEnvironmentNames {
    private SessionEnvironmentNames() {}

    public static boolean isPassed(String name) {
        return name.equals("LANG") || name.equals("LANGUAGE") || name.matches("LC_[A-Z_]+")
                || name.equals("SSH_CONNECTION") || name.equals("SSH_CLIENT") || name.equals("SSH_TTY")
                || name.equals("TZ") || name.equals("COLORTERM");
    }
}

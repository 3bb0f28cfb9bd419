package jail.session.init;

import jail.namespace.account.PasswdEntry;
import jail.session.protocol.Hello;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's environment, built from nothing like login(1) does: the account's HOME, USER, LOGNAME, SHELL,
 * PATH; TERM for a terminal; and from the client only the names sshd would pass (locale, SSH_*). Nothing of
 * the init's or the host's environment is inherited.
 */
final class SessionEnvironment {
    private SessionEnvironment() {}

    static List<String> build(PasswdEntry user, String home, String shell, Hello hello, List<String> clientEnv,
                              String tty) {
        List<String> env = new ArrayList<>();
        env.add("HOME=" + home);
        env.add("USER=" + user.name());
        env.add("LOGNAME=" + user.name());
        env.add("SHELL=" + shell);
        env.add("PATH=" + (user.uid() == 0 ? SessionSpawner.ROOT_PATH : SessionSpawner.DEFAULT_PATH));
        if (tty != null) {
            String term = hello.term() == null || hello.term().isEmpty() ? "dumb" : hello.term();
            env.add("TERM=" + term);
        }
        boolean ssh = false;
        for (String entry : clientEnv) {
            int eq = entry.indexOf('=');
            if (eq <= 0) continue;
            String name = entry.substring(0, eq);
            if (isPassed(name) && !name.equals("SSH_TTY")) { // SSH_TTY names our pty, set below
                env.add(entry);
                ssh |= name.equals("SSH_CONNECTION");
            }
        }
        if (ssh && tty != null) env.add("SSH_TTY=" + tty);
        return env;
    }

    /** Adds the container's configured variables; none may replace what the login environment already set. */
    static void addExtra(List<String> env, List<String> extra) {
        java.util.Set<String> present = new java.util.HashSet<>();
        for (String e : env) present.add(e.substring(0, e.indexOf('=')));
        for (String e : extra) {
            int eq = e.indexOf('=');
            if (eq > 0 && present.add(e.substring(0, eq))) env.add(e);
        }
    }

    static boolean isPassed(String name) {
        return SessionEnvironmentNames.isPassed(name);
    }
}

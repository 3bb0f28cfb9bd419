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

    static boolean isPassed(String name) {
        return SessionEnvironmentNames.isPassed(name);
    }
}

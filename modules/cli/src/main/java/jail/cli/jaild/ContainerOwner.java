package jail.cli.jaild;

import jail.namespace.jna.LibC;
import jail.session.container.HostNamespaces;
import jail.session.container.InitNamespaces;
import jail.session.container.StateDirectory;
import jail.session.container.UserNamespaceLauncher;

import java.nio.file.Path;
import java.util.Map;

/**
 * Whose containers this jaild manages. Run by root: every uid's, in /run/jail, logs in /var/log/jail, config in
 * /etc/jail. Run by anyone else: that user's own rootless containers only, in its own directories
 * ($XDG_RUNTIME_DIR/jail, $XDG_STATE_HOME/jail, $XDG_CONFIG_HOME/jail/jail.yaml, with the XDG defaults), so
 * that nothing of another user's is ever seen or touched.
 */
final class ContainerOwner {
    private ContainerOwner() {}

    static boolean rootless() {
        return LibC.geteuid() != 0;
    }

    static int uid() {
        return LibC.geteuid();
    }

    static StateDirectory stateDirectory() {
        return rootless() ? StateDirectory.forUser(uid(), System.getenv()) : StateDirectory.fromSystem();
    }

    static Path logDirectory() {
        if (!rootless()) return Path.of(System.getProperty("jail.log-dir", "/var/log/jail"));
        return xdg("XDG_STATE_HOME", ".local/state").resolve("jail");
    }

    /** The configuration file of a user's containers; root's is /etc/jail (ConfigLoader's default). */
    static Path userConfigFile() {
        return xdg("XDG_CONFIG_HOME", ".config").resolve("jail/jail.yaml");
    }

    static InitNamespaces namespaces(Path execHelper) {
        if (!rootless()) return new HostNamespaces();
        // jail-userns is built next to jail-exec (modules/namespace/target/native).
        return UserNamespaceLauncher.forCaller(execHelper.resolveSibling("jail-userns"), uid(), LibC.getgid(),
                System.getProperty("user.name"));
    }

    /** An XDG base directory: the variable if it holds an absolute path, else HOME/fallback. */
    private static Path xdg(String variable, String fallback) {
        Map<String, String> env = System.getenv();
        String v = env.get(variable);
        if (v != null && v.startsWith("/")) return Path.of(v);
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home).resolve(fallback);
    }
}

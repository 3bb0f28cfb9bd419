package jail.cli.jaild;

import jail.cli.config.ConfigException;
import jail.cli.config.ConfigLoader;
import jail.cli.config.ContainerDefinition;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The --config option shared by start, restart and run (a picocli mixin). */
public class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: /etc/jail/jail.yaml and /etc/jail/conf.d/*.yaml; "
                    + "for a user other than root: ~/.config/jail/jail.yaml).")
    Path file;

    /** --config, else for an ordinary user its own file (root's default is /etc/jail and its conf.d: null). */
    private Path effectiveFile() {
        return file == null && ContainerOwner.rootless() ? ContainerOwner.userConfigFile() : file;
    }

    /** The one definition called {@code name}; the error names the files that were read. */
    ContainerDefinition named(Map<String, ContainerDefinition> all, String name) {
        ContainerDefinition d = all.get(name);
        if (d != null) return d;
        String read;
        try {
            List<Path> files = ConfigLoader.files(effectiveFile());
            read = files.isEmpty() ? "the configuration (none found: " + ConfigLoader.DEFAULT_FILE + " and "
                    + ConfigLoader.DROP_IN_DIR + "/*.yaml)" : files.stream().map(Path::toString).collect(Collectors.joining(", "));
        } catch (ConfigException e) {
            read = "the configuration";
        }
        throw new JaildException("no container named '" + name + "' in " + read);
    }

    /** Loads and validates; every problem becomes one "jaild: FILE: KEY: reason" line on stderr. */
    Map<String, ContainerDefinition> load() {
        try {
            // A user's jaild manages only its own containers: its own file, never /etc/jail's.
            return ConfigLoader.load(effectiveFile());
        } catch (ConfigException e) {
            for (int i = 0; i < e.problems().size() - 1; i++) System.err.println("jaild: " + e.problems().get(i));
            throw new JaildException(e.problems().get(e.problems().size() - 1));
        }
    }
}

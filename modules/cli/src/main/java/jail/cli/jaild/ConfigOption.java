package jail.cli.jaild;

import jail.cli.config.ConfigException;
import jail.cli.config.ConfigLoader;
import jail.cli.config.ContainerDefinition;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The --config option shared by start, restart and run (a picocli mixin). */
public class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: /etc/jail/jail.yaml and /etc/jail/conf.d/*.yaml; "
                    + "for a user other than root: ~/.config/jail/jail.yaml).")
    Path file;

    /** Loads and validates; every problem becomes one "jaild: FILE: KEY: reason" line on stderr. */
    Map<String, ContainerDefinition> load() {
        try {
            // A user's jaild manages only its own containers: its own file, never /etc/jail's.
            return ConfigLoader.load(file == null && ContainerOwner.rootless() ? ContainerOwner.userConfigFile() : file);
        } catch (ConfigException e) {
            for (int i = 0; i < e.problems().size() - 1; i++) System.err.println("jaild: " + e.problems().get(i));
            throw new JaildException(e.problems().get(e.problems().size() - 1));
        }
    }
}

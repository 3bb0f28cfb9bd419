package jail.cli.config;

import java.util.List;

/** Invalid configuration: every problem as "FILE: KEY: reason", all reported before anything starts. */
public class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

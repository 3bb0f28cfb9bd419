package jail.namespace;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An extra host directory or file made visible inside a container, read-only unless asked otherwise.
 *
 * @param source the host path (resolved by jaild before the init gets it)
 * @param target the absolute path inside the container
 */
public record BindMount(Path source, String target, boolean readOnly) {
    public BindMount {
        Objects.requireNonNull(source, "bind source");
        Objects.requireNonNull(target, "bind target");
        if (!source.isAbsolute()) throw new IllegalArgumentException("bind source " + source + " is not an absolute path");
        if (!target.startsWith("/")) throw new IllegalArgumentException("bind target " + target + " is not an absolute path");
    }
}

package jail.session;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The session module reaches the kernel only through the namespace module's classes (which alone speak JNA),
 * and Vert.x's internals only through one adapter, {@code init.VertxConnection}.
 */
class KernelLayerBoundaryTest {
    private static final Path SOURCES = Path.of("src/main/java");

    private static List<Path> sourcesContaining(String text) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return Files.readString(f).contains(text);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    @Test
    void noSourceOfTheSessionModuleUsesJna() throws IOException {
        assertTrue(Files.isDirectory(SOURCES.resolve("jail/session/init")), "run from the module's directory");
        assertEquals(List.of(), sourcesContaining("com.sun.jna"));
    }

    @Test
    void vertxInternalsAreReachedThroughOneAdapter() throws IOException {
        assertEquals(List.of(SOURCES.resolve("jail/session/init/VertxConnection.java")), sourcesContaining("NetSocketInternal"));
    }
}

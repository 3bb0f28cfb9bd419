package jail.cli.jaild;

import jail.session.container.ContainerLauncher;
import jail.session.container.InitRuntime;
import jail.session.container.StateDirectory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this jail installation keeps what the container inits run from. bin/jaild passes the locations as
 * system properties (jail.lib: the init's jars; jail.native: JNA's native library; jail.init-aot: the init's
 * AOT cache, if the build made one; jail.exec-helper: jail-exec, which every session starts through), so the
 * init JVM runs the same build as the jaild that starts it.
 */
final class Installation {
    private Installation() {}

    static ContainerLauncher launcher(StateDirectory state) {
        return launcher(state, false);
    }

    static ContainerLauncher launcher(StateDirectory state, boolean logToOurOutput) {
        String lib = System.getProperty("jail.lib");
        if (lib == null || !Files.isDirectory(Path.of(lib))) {
            throw new JaildException("the init's library directory is not set or missing (jail.lib=" + lib
                    + "); run jaild through bin/jaild");
        }
        String helper = System.getProperty("jail.exec-helper");
        if (helper == null || !Files.isExecutable(Path.of(helper))) {
            throw new JaildException("the session helper jail-exec is not set or missing (jail.exec-helper=" + helper
                    + "); build jail (./mvnw -DskipTests install) and run jaild through bin/jaild");
        }
        String nat = System.getProperty("jail.native");
        String aot = System.getProperty("jail.init-aot");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path logDir = ContainerOwner.logDirectory();
        InitRuntime runtime = new InitRuntime(java, Path.of(lib), nat == null ? null : Path.of(nat),
                aot == null || !Files.isReadable(Path.of(aot)) ? null : Path.of(aot), Path.of(helper));
        return new ContainerLauncher(state, runtime, logDir, logToOurOutput, ContainerOwner.namespaces(Path.of(helper)));
    }
}

package jail.cli.jaild;

import jail.cli.config.ConfigLoader;
import jail.namespace.jna.LibC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run for jaild's AOT cache (JDK 25, -XX:AOTCacheOutput), made at build time by
 * {@code jaild --aot-training}: Quarkus boots as for every command, then the unprivileged part of a container
 * start runs against a scratch root filesystem (YAML configuration, ROOTDIR checks, the passwd lookup, JNA),
 * so that the cache holds those classes too. Starting a container needs root, which a build may not have.
 * Prints nothing; exits 0.
 */
final class JaildAotTraining {
    private static final int UID = 61000;

    private JaildAotTraining() {}

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("jaild-aot");
        try {
            Path root = dir.resolve("root");
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/passwd"), "work:x:" + UID + ":" + UID + "::/home/work:/bin/sh\n");
            Path config = dir.resolve("jail.yaml");
            Files.writeString(config, "jail:\n  containers:\n    work:\n      uid: " + UID + "\n      root: " + root + "\n");
            ConfigLoader.load(config);
            Path rootDir = RootFilesystem.check(root);
            RootFilesystem.account(rootDir, UID);
            RootFilesystem.requireSearchable(rootDir, UID);
            LibC.geteuid();
            return ExitCodes.OK;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}

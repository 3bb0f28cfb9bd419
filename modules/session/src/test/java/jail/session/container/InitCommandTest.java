package jail.session.container;

import jail.session.init.InitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InitCommandTest {
    @TempDir
    Path lib;

    InitRuntime runtime(Path aotCache) throws Exception {
        for (String jar : List.of("vertx-core.jar", "jna.jar", "jail-session.jar", "netty-buffer.jar")) {
            Files.createFile(lib.resolve(jar));
        }
        Files.createFile(lib.resolve("README.txt"));
        return new InitRuntime(Path.of("/jdk/bin/java"), lib, Path.of("/native"), aotCache, Path.of("/jail-exec"));
    }

    static final InitConfig CONFIG = new InitConfig(61000, 61000, Path.of("/srv/c"), Path.of("/run/jail/61000.sock"),
            Path.of("/run/jail/61000.state"), "", 3, true, 256, 10_000);

    @Test
    void theClassPathNamesEveryJarInNameOrder() throws Exception {
        runtime(null);
        assertEquals(lib + "/jail-session.jar:" + lib + "/jna.jar:" + lib + "/netty-buffer.jar:" + lib + "/vertx-core.jar",
                InitCommand.classPath(lib));
    }

    @Test
    void theInitMapsTheCacheWhenThereIsOne() throws Exception {
        List<String> with = InitCommand.jvmArguments(runtime(Path.of("/t/init.aot")), CONFIG);
        assertTrue(with.contains("-XX:AOTCache=/t/init.aot"), with::toString);
        assertFalse(with.contains("-Xshare:auto"), "the JVM refuses -Xshare with -XX:AOTCache");
        List<String> without = InitCommand.jvmArguments(new InitRuntime(Path.of("/jdk/bin/java"), lib, null, null, Path.of("/jail-exec")), CONFIG);
        assertTrue(without.contains("-Xshare:auto"), without::toString);
        assertTrue(without.stream().noneMatch(a -> a.startsWith("-XX:AOTCache")), without::toString);
    }

    /** A cache is only used by a JVM with the flags and class path of its training run. */
    @Test
    void theTrainingRunHasTheInitsOptionsAndClassPath() throws Exception {
        InitRuntime runtime = runtime(Path.of("/t/init.aot"));
        List<String> init = new ArrayList<>(InitCommand.jvmArguments(runtime, CONFIG));
        List<String> training = new ArrayList<>(InitCommand.trainingArguments(runtime, Path.of("/t/new.aot")));
        assertEquals("jail.session.init.InitAotTraining", training.removeLast());
        init.subList(init.indexOf("jail.session.init.ContainerInit"), init.size()).clear();
        init.removeIf(a -> a.startsWith("-XX:AOTCache=") || a.equals("-Xlog:aot=off") || a.startsWith("-Dvertx.cacheDirBase=")
                || a.startsWith("-Djail.exec-helper=")); // system properties: not part of what a cache is checked against
        training.remove("-XX:AOTCacheOutput=/t/new.aot");
        assertEquals(init, training);
    }
}

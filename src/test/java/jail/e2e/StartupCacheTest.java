package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The AOT caches the build trains (docs/performance.md) serve the JVMs they were made for. A cache whose
 * training flags or class path drifted from the real command line is ignored without a word (only start-up time
 * would tell), so each test reads the class-loading log of the real command and asserts that our own classes
 * came out of the cache ("source: shared objects file") rather than from their jars.
 */
class StartupCacheTest {
    static final Path TARGET = Cmd.PROJECT.resolve("modules/cli/target");
    static final Path WORK = TestContainer.WORK.resolve("startup-cache");
    static final int UID = 62220;

    @AfterAll
    static void stop() {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(UID));
        Cmd.run("rm", "-rf", WORK.toString());
    }

    /** Where {@code className} was loaded from, per the JVM's class+load log. */
    static String source(Path log, String className) throws Exception {
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("] " + className + " source: ");
            if (at >= 0) return line.substring(at + className.length() + 11);
        }
        return "(not loaded)";
    }

    /**
     * A JAIL_JAVA wrapper that runs the real java with what the launcher asked for plus a class-loading log
     * (after any -Xlog:disable, which would silence it).
     */
    static Path loggingJava(Path log) throws Exception {
        Files.createDirectories(WORK);
        Path wrapper = WORK.resolve("java-" + log.getFileName());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(wrapper, "#!/bin/bash\nargs=(-Xlog:class+load=info:file=" + log + ")\n"
                + "for a in \"$@\"; do args+=(\"$a\"); [ \"$a\" = -Xlog:disable ] && args+=(-Xlog:class+load=info:file=" + log + "); done\n"
                + "exec " + java + " \"${args[@]}\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    /** Runs {@code launcher --version} through the logging wrapper; asserts where each class came from. */
    static void assertFromCache(String launcher, String version, String... classes) throws Exception {
        Path log = WORK.resolve(Path.of(launcher).getFileName() + "-classes.log");
        Cmd.Result r = Cmd.run(null, Map.of("JAIL_JAVA", loggingJava(log).toString()), launcher, "--version");
        assertEquals(version + "\n", r.stdout(), r::toString);
        for (String c : classes) assertEquals("shared objects file", source(log, c), c);
    }

    @Test
    void theClientLoadsItsClassesFromItsCache() throws Exception {
        assertFromCache(Cmd.JAIL, "jail 1.0", "jail.cli.client.JailMain");
    }

    @Test
    void jaildLoadsItsClassesFromItsCache() throws Exception {
        assertFromCache(Cmd.JAILD, "jaild 1.0", "jail.cli.jaild.JaildCommand", "io.quarkus.runtime.Application");
    }

    /**
     * The init's own command line (the argument file jaild wrote for it), with the training main in place of the
     * init's, since the init itself must run as PID 1 of a new PID namespace. And a real session's client.
     */
    @Test
    @RequiresRoot
    void theInitsCommandLineLoadsItsClassesFromTheInitCache() throws Exception {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(UID));
        Path root = WORK.resolve("root");
        Cmd.ok(Cmd.MKROOTFS, "busybox", root.toString(), "--uid", String.valueOf(UID));
        Cmd.ok(Cmd.JAILD, "-u", String.valueOf(UID), "-r", root.toString());
        assertEquals("ok\n", Cmd.run(Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "echo ok").stdout());

        // A client whose stdin is a pipe (as under sshd) loads JNA for its signals and _exit: from its cache too.
        Path clientLog = WORK.resolve("jail-session-classes.log");
        Cmd.Result session = Cmd.run(new byte[0], Map.of("JAIL_JAVA", loggingJava(clientLog).toString()),
                Cmd.JAIL, "--uid", String.valueOf(UID), "-c", "echo ok");
        assertEquals("ok\n", session.stdout(), session::toString);
        for (String c : List.of("com.sun.jna.Native", "jail.namespace.SignalInbox", "jail.cli.client.Caller")) {
            assertEquals("shared objects file", source(clientLog, c), c);
        }

        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String line : Files.readAllLines(Path.of("/run/jail/" + UID + ".args"))) {
            String arg = line.substring(1, line.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            if (arg.equals("jail.session.init.ContainerInit")) break;
            argv.add(arg);
        }
        assertTrue(argv.contains("-XX:AOTCache=" + TARGET.resolve("init.aot").toRealPath()), argv::toString);
        Path log = WORK.resolve("init-classes.log");
        argv.add("-Xlog:class+load=info:file=" + log);
        argv.add("jail.session.init.InitAotTraining");
        Cmd.Result r = Cmd.run(argv.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("shared objects file", source(log, "jail.session.init.SessionServer"));
        assertEquals("shared objects file", source(log, "io.vertx.core.impl.VertxImpl"));
    }
}

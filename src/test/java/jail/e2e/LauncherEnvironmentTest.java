package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9, item 9: a login shell's environment (from su, sshd's AcceptEnv, PAM) must not choose what runs as
 * its user on the host. Each attack sets a variable that would make bin/jail run a program of the caller's
 * choosing (a java agent, another "java", a preloaded library); that program would leave a marker file. The
 * marker stays absent and the session still works.
 */
@RequiresRoot
class LauncherEnvironmentTest {
    static final int UID = 68010;
    static final String USER = "jsh-env";
    static final Path EVIL = TestContainer.WORK.resolve("jsh-env-evil");
    static final Path MARKS = EVIL.resolve("marks");

    static TestContainer box;

    @BeforeAll
    static void setUp() throws Exception {
        box = TestContainer.busybox(USER, UID).start();
        Cmd.run("rm", "-rf", EVIL.toString());
        Files.createDirectories(MARKS);
        Files.setPosixFilePermissions(EVIL, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cmd.ok("chmod", "1777", MARKS.toString()); // the user writes marks
        makeAgentJar();
        makeFakeJava(EVIL.resolve("evil-java"));
        makeFakeJava(EVIL.resolve("fakejdk/bin/java"));
        MarkingLibrary.build(EVIL.resolve("evil.so"), MARKS.resolve("preload"));
    }

    @AfterAll
    static void tearDown() {
        if (box != null) box.close();
        Cmd.run("rm", "-rf", EVIL.toString());
    }

    /** A java agent whose premain writes the marker "agent". */
    static void makeAgentJar() throws IOException {
        Path src = EVIL.resolve("src/EvilAgent.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "public class EvilAgent { public static void premain(String a) throws Exception {"
                + " java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + MARKS.resolve("agent") + "\"), \"ran\"); } }");
        Path classes = EVIL.resolve("classes");
        Files.createDirectories(classes);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "compiling the agent");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "EvilAgent");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(EVIL.resolve("agent.jar")), manifest)) {
            jar.putNextEntry(new JarEntry("EvilAgent.class"));
            jar.write(Files.readAllBytes(classes.resolve("EvilAgent.class")));
            jar.closeEntry();
        }
        Files.setPosixFilePermissions(EVIL.resolve("agent.jar"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** A "java" that leaves a marker named after itself, then runs the real one (so only the marker tells). */
    static void makeFakeJava(Path java) throws IOException {
        Files.createDirectories(java.getParent());
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(java, "#!/bin/sh\necho ran > " + MARKS.resolve(java.getParent().getFileName() + "-java")
                + "\nexec " + realJava + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p = java.getParent(); !p.equals(EVIL); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    static void clearMarks() throws IOException {
        try (var marks = Files.list(MARKS)) {
            for (Path m : (Iterable<Path>) marks::iterator) Files.delete(m);
        }
    }

    static List<String> marks() throws IOException {
        try (var marks = Files.list(MARKS)) {
            return marks.map(m -> m.getFileName().toString()).sorted().toList();
        }
    }

    static void assertTheSessionWorked(Cmd.Result r) {
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok\n", r.stdout(), r::toString);
        assertEquals("", r.stderr(), "nothing of the JVM's either (\"Picked up ...\")");
    }

    /**
     * {@code su USER -c CMD} keeps the caller's environment (whoever knows the password, or root): the variable
     * reaches bin/jail, the login shell, running as USER on the host.
     */
    @ParameterizedTest
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"})
    void jvmOptionsFromTheCallerDoNotReachTheClient(String variable) throws IOException {
        clearMarks();
        Cmd.Result r = Cmd.run(null, Map.of(variable, "-javaagent:" + EVIL.resolve("agent.jar")), "su", USER, "-c", "echo ok");
        assertTheSessionWorked(r);
        assertEquals(List.of(), marks(), "the agent ran as " + USER + " on the host");
    }

    /**
     * Another "java" named by JAIL_JAVA, JAVA_HOME or PATH. JAVA_HOME and PATH were searched only after the fixed
     * places, so on a machine with Temurin 25 they could not win; they must not on any machine.
     */
    @ParameterizedTest
    @ValueSource(strings = {"JAIL_JAVA", "JAVA_HOME", "PATH"})
    void anotherJavaNamedByTheCallerDoesNotRun(String variable) throws IOException {
        clearMarks();
        String value = switch (variable) {
            case "JAIL_JAVA" -> EVIL.resolve("evil-java").toString();
            case "JAVA_HOME" -> EVIL.resolve("fakejdk").toString();
            default -> EVIL.resolve("fakejdk/bin") + ":/usr/bin:/bin";
        };
        Cmd.Result r = Cmd.run(null, Map.of(variable, value), "su", USER, "-c", "echo ok");
        assertTheSessionWorked(r);
        assertEquals(List.of(), marks(), "another java ran as " + USER + " on the host");
    }

    /**
     * The user itself starts bin/jail with LD_PRELOAD or LD_AUDIT (as any way in that carries them would). The
     * launcher's own shell is already loaded with the library (nothing in a #! script can prevent that;
     * docs/security.md says which ways in can carry it); the JVM, which does the work, must not be. The launcher
     * drops the loader's variables by name, so each name it must know is tried.
     */
    @ParameterizedTest
    @ValueSource(strings = {"LD_PRELOAD", "LD_AUDIT"})
    void aLoaderLibraryDoesNotReachTheJvm(String variable) throws IOException {
        clearMarks();
        Cmd.Result r = Cmd.run("su", "-s", "/bin/sh", USER, "-c",
                "exec env " + variable + "=" + EVIL.resolve("evil.so") + " JAVA_TOOL_OPTIONS=-javaagent:" + EVIL.resolve("agent.jar")
                        + " " + Cmd.JAIL + " -c 'echo ok'");
        assertTheSessionWorked(r);
        List<String> loaded = Files.readAllLines(MARKS.resolve("preload"));
        assertFalse(loaded.isEmpty(), "the launcher's shell did load it: the attack reached bin/jail");
        assertTrue(loaded.stream().noneMatch(exe -> exe.endsWith("/java")), "loaded into the JVM: " + loaded);
        assertEquals(List.of("preload"), marks());
    }
}

package jail.cli.jaild;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jaild's command line through the real Quarkus main: exit statuses and the one line it prints on failure.
 * Runs as root (the checks after the privilege check are reached); the state directory is the build's
 * own (jail.run-dir, set by surefire), so no real container is seen or touched.
 */
@QuarkusMainTest
@org.junit.jupiter.api.condition.EnabledIf(value = "isRoot",
        disabledReason = "needs root: jaild checks for root before anything else (CI runs as root)")
class JaildLaunchTest {
    static boolean isRoot() {
        return jail.namespace.jna.LibC.geteuid() == 0;
    }


    @TempDir
    Path tmp;

    private static void assertOneLineError(LaunchResult result, int exitCode, String line) {
        assertNoStackTrace(result);
        assertEquals(line, result.getErrorOutput().strip(), "stderr");
        assertEquals(exitCode, result.exitCode(), "exit status; stderr: " + result.getErrorOutput());
        assertEquals("", result.getOutput(), "nothing on stdout");
    }

    /** A ROOTDIR that its user can search (mode 0755 whatever the umask), so the checks reach etc/passwd. */
    private Path rootDir(String name) throws java.io.IOException {
        Path root = Files.createDirectories(tmp.resolve(name));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /** Launches, then removes the link (so that @TempDir's clean-up has no link leading out to warn about). */
    private static LaunchResult launchAndUnlink(QuarkusMainLauncher launcher, Path link, String... args)
            throws java.io.IOException {
        try {
            return launcher.launch(args);
        } finally {
            Files.delete(link);
        }
    }

    private static void assertNoStackTrace(LaunchResult result) {
        String err = result.getErrorOutput();
        assertFalse(err.contains("\tat "), "stack trace on stderr: " + err);
        assertFalse(err.contains("Exception"), "exception on stderr: " + err);
        assertFalse(result.getOutput().contains("\tat "), "stack trace on stdout: " + result.getOutput());
    }

    // ---- bad command lines: exit 2 ----

    @Test
    @Launch(value = {}, exitCode = 2)
    void noArgumentsAtAll(LaunchResult result) {
        assertOneLineError(result, 2,
                "jaild: both -u UID and -r ROOTDIR are needed to start a container (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"-u", "61000"}, exitCode = 2)
    void uidWithoutRoot(LaunchResult result) {
        assertOneLineError(result, 2,
                "jaild: both -u UID and -r ROOTDIR are needed to start a container (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"-r", "/tmp"}, exitCode = 2)
    void rootWithoutUid(LaunchResult result) {
        assertOneLineError(result, 2,
                "jaild: both -u UID and -r ROOTDIR are needed to start a container (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"-u", "abc", "-r", "/tmp"}, exitCode = 2)
    void nonNumericUid(LaunchResult result) {
        assertOneLineError(result, 2, "jaild: Invalid value for option '--uid': 'abc' is not a valid UID"
                + " (expected UID or UID:GID, numbers) (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"-u", "1:2:3", "-r", "/tmp"}, exitCode = 2)
    void tooManyUidParts(LaunchResult result) {
        assertOneLineError(result, 2,
                "jaild: Invalid value for option '--uid': '1:2:3' is not UID or UID:GID (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"--bogus"}, exitCode = 2)
    void unknownOption(LaunchResult result) {
        assertOneLineError(result, 2, "jaild: Unknown option: '--bogus' (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"stop"}, exitCode = 2)
    void stopWithoutATarget(LaunchResult result) {
        assertOneLineError(result, 2,
                "jaild: Error: Missing required argument (specify one of these): (NAME|UID | --all) (see 'jaild --help')");
    }

    @Test
    @Launch(value = {"stop", "abc"}, exitCode = 1)
    void stopAnUnknownName(LaunchResult result) {
        assertOneLineError(result, 1, "jaild: no container named abc");
    }

    // ---- understood but impossible: exit 1 ----

    @Test
    @Launch(value = {"-u", "61000", "-r", "/nonexistent/x"}, exitCode = 1)
    void rootDirMissing(LaunchResult result) {
        assertOneLineError(result, 1, "jaild: ROOTDIR /nonexistent/x does not exist");
    }

    @Test
    void rootDirIsARegularFile(QuarkusMainLauncher launcher) throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        LaunchResult result = launcher.launch("-u", "61000", "-r", file.toString());
        assertOneLineError(result, 1, "jaild: ROOTDIR " + file.toAbsolutePath().normalize() + " is not a directory");
    }

    @Test
    @Launch(value = {"-u", "61000", "-r", "/"}, exitCode = 1)
    void rootDirIsTheHostRoot(LaunchResult result) {
        assertOneLineError(result, 1, "jaild: ROOTDIR must not be the host's root directory");
    }

    @Test
    @Launch(value = {"-u", "61000", "-r", "/tmp/../"}, exitCode = 1)
    void rootDirThatNormalizesToTheHostRoot(LaunchResult result) {
        assertOneLineError(result, 1, "jaild: ROOTDIR must not be the host's root directory");
    }

    @Test
    void symlinkToTheHostRoot(QuarkusMainLauncher launcher) throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("slash"), Path.of("/"));
        LaunchResult result = launchAndUnlink(launcher, link, "-u", "61000", "-r", link.toString());
        assertOneLineError(result, 1, "jaild: ROOTDIR must not be the host's root directory");
    }

    @Test
    void uidWithoutPasswdEntry(QuarkusMainLauncher launcher) throws Exception {
        Path root = rootDir("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/bash
                someone:x:61001:61001::/home/someone:/bin/bash
                """);
        LaunchResult result = launcher.launch("-u", "61000", "-r", root.toString());
        assertOneLineError(result, 1, "jaild: uid 61000 has no entry in " + root.toRealPath().resolve("etc/passwd"));
    }

    @Test
    void rootDirWithoutPasswd(QuarkusMainLauncher launcher) throws Exception {
        Path root = rootDir("empty-root");
        LaunchResult result = launcher.launch("-u", "61000", "-r", root.toString());
        assertOneLineError(result, 1, "jaild: " + root.toRealPath().resolve("etc/passwd") + ": no such file");
    }

    @Test
    void malformedPasswdNamesFileAndLine(QuarkusMainLauncher launcher) throws Exception {
        Path root = rootDir("bad-root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\njail:x:61000\n");
        LaunchResult result = launcher.launch("-u", "61000", "-r", root.toString());
        assertOneLineError(result, 1,
                "jaild: " + root.toRealPath().resolve("etc/passwd") + ":2: expected 7 fields, found 3");
    }

    @Test
    void uidZeroNeedsAllowRoot(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("-u", "0", "-r", "/tmp");
        assertOneLineError(result, 1, "jaild: uid 0 containers run sessions as root inside; pass --allow-root to allow it");
    }

    @Test
    void sessionLimitsMustBeSane(QuarkusMainLauncher launcher) {
        assertOneLineError(launcher.launch("-u", "61000", "-r", "/tmp", "--max-sessions", "0"), 1,
                "jaild: --max-sessions must be at least 1");
        assertOneLineError(launcher.launch("-u", "61000", "-r", "/tmp", "--hello-timeout", "0"), 1,
                "jaild: --hello-timeout must be 1..3600 seconds");
    }

    @Test
    void symlinkedEtcIsRefused(QuarkusMainLauncher launcher) throws Exception {
        Path root = rootDir("link-root");
        Path link = Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        LaunchResult result = launchAndUnlink(launcher, link, "-u", "0", "--allow-root", "-r", root.toString());
        assertOneLineError(result, 1, "jaild: ROOTDIR " + root.toRealPath()
                + ": etc is a symbolic link, refusing to read accounts through it");
    }

    @Test
    void symlinkedPasswdIsRefused(QuarkusMainLauncher launcher) throws Exception {
        Path root = rootDir("link-passwd-root");
        Files.createDirectories(root.resolve("etc"));
        Path link = Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/passwd"));
        LaunchResult result = launchAndUnlink(launcher, link, "-u", "0", "--allow-root", "-r", root.toString());
        assertOneLineError(result, 1, "jaild: " + root.toRealPath().resolve("etc/passwd")
                + ": is a symbolic link, refusing to follow it");
    }

    @Test
    void rootDirNotSearchableByTheUser(QuarkusMainLauncher launcher) throws Exception {
        Path root = rootDir("private-root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "jail:x:61000:61000::/home/jail:/bin/bash\n");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        LaunchResult result = launcher.launch("-u", "61000", "-r", root.toString());
        assertOneLineError(result, 1, "jaild: ROOTDIR " + root.toRealPath()
                + " is not searchable by uid 61000 (mode rwx------); chmod o+x it");
    }

    @Test
    @Launch(value = {"stop", "4242"}, exitCode = 1)
    void stopWithoutAContainer(LaunchResult result) {
        assertOneLineError(result, 1, "jaild: no container for uid 4242");
    }

    /** The build's state directory (surefire sets jail.run-dir), never /run/jail. */
    private static Path stateDir() throws java.io.IOException {
        String dir = System.getProperty("jail.run-dir");
        assertNotNull(dir, "jail.run-dir must be set for these tests (modules/cli/pom.xml, surefire)");
        assertNotEquals("/run/jail", Path.of(dir).normalize().toString());
        return Files.createDirectories(Path.of(dir));
    }

    /** A state file whose pid is this JVM: a live process that is not an init of ours, so "dead". */
    private static Path writeStaleState(int uid) throws java.io.IOException {
        Path dir = stateDir();
        long pid = ProcessHandle.current().pid();
        return Files.writeString(dir.resolve(uid + ".state"), "uid=" + uid + "\ngid=" + uid + "\nroot=/srv/jail/" + uid
                + "\npid=" + pid + "\nsocket=" + dir.resolve(uid + ".sock") + "\nlog=/var/log/jail/" + uid + ".log"
                + "\nstarted=2024-01-01T00:00:00Z\n");
    }

    @Test
    void stopRemovesTheStateOfADeadContainer(QuarkusMainLauncher launcher) throws Exception {
        Path state = writeStaleState(4244);
        LaunchResult result = launcher.launch("stop", "4244");
        assertOneLineError(result, 1, "jaild: the container for uid 4244 was not running (stale state removed)");
        assertFalse(Files.exists(state), "stale state file removed");
        assertOneLineError(launcher.launch("stop", "4244"), 1, "jaild: no container for uid 4244");
    }

    @Test
    void listShowsADeadContainer(QuarkusMainLauncher launcher) throws Exception {
        Path state = writeStaleState(4243);
        LaunchResult result;
        try {
            result = launcher.launch("list");
        } finally {
            Files.delete(state);
        }
        assertNoStackTrace(result);
        assertEquals(0, result.exitCode());
        String line = result.getOutput().lines().filter(l -> l.startsWith("4243 ")).findFirst().orElse("");
        assertEquals(String.format("%-16s %-8s %-8s %-8s %-8s %-9s %-7s %s", 4243, 4243, 4243, ProcessHandle.current().pid(),
                "dead", "-", "-", "/srv/jail/4243"), line, result.getOutput());
    }

    // ---- success ----

    @Test
    @Launch(value = {"--help"})
    void helpListsTheExitCodes(LaunchResult result) {
        assertNoStackTrace(result);
        assertEquals(0, result.exitCode());
        String out = result.getOutput();
        assertTrue(out.contains("Usage: jaild"), out);
        assertTrue(out.contains("Exit status:"), out);
        assertTrue(out.matches("(?s).*\\b0\\s+success.*"), out);
        assertTrue(out.matches("(?s).*\\b1\\s+the request failed \\(the message says why\\).*"), out);
        assertTrue(out.matches("(?s).*\\b2\\s+bad command line.*"), out);
        for (String option : new String[]{"-u", "--uid", "-r", "--root", "--hostname", "list", "stop"}) {
            assertTrue(out.contains(option), option + " in " + out);
        }
    }

    @Test
    @Launch(value = {"list"})
    void listPrintsTheHeader(LaunchResult result) {
        assertNoStackTrace(result);
        assertEquals(0, result.exitCode());
        assertEquals("", result.getErrorOutput().strip());
        String first = result.getOutput().lines().findFirst().orElse("");
        assertTrue(first.matches("NAME\\s+UID\\s+GID\\s+PID\\s+STATE\\s+SESSIONS\\s+UPTIME\\s+ROOT"), first);
    }

    @Test
    @Launch(value = {"--version"})
    void version(LaunchResult result) {
        assertEquals(0, result.exitCode());
        assertEquals("jaild 1.0", result.getOutput().strip());
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debian package on a fresh Debian 12 with no JDK (issue 12): a debootstrapped root (apt, passwd, login,
 * openssh-server) becomes the root of a private mount namespace (pivot_root, as on a real machine: jail's
 * sessions enter the container through the namespace's root), and there the package is installed, a container
 * is started and entered with {@code su -} and {@code ssh}, upgraded over with a session open, removed and
 * purged. Uses the package the build made ({@code ./mvnw -Pdeb package}), or builds it.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianPackageTest {
    private static final int UID = 61500;
    private static final String USER = "jdbwork";
    private static final Path MACHINE = Path.of("/var/tmp/jdb-debian12");
    private static final String NEXT = "99.0.1";
    private static final Path TARGET = Cmd.PROJECT.resolve("target");

    private Path deb;
    private String version;
    private Process machine;
    private Process sshd;
    private int sshPort;
    private Process heldSession;
    private BufferedReader heldOutput;

    @BeforeAll
    void machineWithoutAJdk() throws Exception {
        stopOurInits();
        Cmd.run("rm", "-rf", MACHINE.toString());
        deb = packageOfThisBuild();
        version = deb.getFileName().toString().split("_")[1];
        Cmd.Result made = Cmd.run(null, Map.of("JAIL_DEBIAN_INCLUDE", "passwd,openssh-server"),
                Cmd.MKROOTFS, "debian", MACHINE.toString(), "--user", USER, "--uid", String.valueOf(UID));
        assertEquals(0, made.exit(), made.toString());
        assertFalse(Files.exists(MACHINE.resolve("usr/lib/jvm")), "the Debian machine must have no JDK");
        Cmd.ok(Cmd.MKROOTFS, "busybox", MACHINE.resolve("srv/c").toString(), "--user", USER, "--uid", String.valueOf(UID));
        Files.copy(deb, MACHINE.resolve("tmp").resolve(deb.getFileName()));
        Files.copy(restamped(deb, NEXT), MACHINE.resolve("tmp/jail_" + NEXT + "_amd64.deb"));

        // The namespace lives as long as this process (and the inits started in it): nothing to unmount afterwards.
        String r = MACHINE.toString();
        machine = Cmd.start(Map.of(), "unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount --bind " + r + " " + r + " && mount -t proc proc " + r + "/proc && mount --rbind /dev " + r
                        + "/dev && mount --rbind /sys " + r + "/sys && mount -t tmpfs -o mode=755 tmpfs " + r + "/run"
                        + " && mkdir -p " + r + "/mnt/host && cd " + r + " && pivot_root . mnt/host && umount -l /mnt/host"
                        + " && exec sleep 100000");
        Await.until(Duration.ofSeconds(20), () -> inMachine("test", "-d", "/srv/c").exit() == 0,
                () -> "the Debian machine's namespace did not come up");
    }

    @AfterAll
    void cleanUp() {
        if (heldSession != null) heldSession.destroyForcibly();
        if (sshd != null) sshd.destroyForcibly();
        stopOurInits();
        if (machine != null) machine.destroyForcibly();
        Cmd.run("rm", "-rf", MACHINE.toString());
    }

    private void installsOnDebian12WithoutAJdkEverythingRootsAndNotWritableByOthers() {
        Cmd.Result install = apt("install", "/tmp/" + deb.getFileName());
        assertEquals(0, install.exit(), install.toString());
        assertFalse(inMachine("sh", "-c", "command -v java || ls /usr/lib/jvm").stdout().contains("/"), "a JDK was pulled in");

        String wrong = inMachine("sh", "-c", "dpkg -L jail | while read -r f; do [ -L \"$f\" ] || stat -c '%U:%G %a %n' \"$f\"; done"
                + " | grep -Ev '^root:root ([0-7]?[0-7][0145][0145]) '").stdout();
        assertEquals("", wrong, "files of the package not root's or writable by others");
        assertEquals("root:root 755\n", inMachine("stat", "-c", "%U:%G %a", "/run/jail").stdout());
        assertEquals("root:adm 750\n", inMachine("stat", "-c", "%U:%G %a", "/var/log/jail").stdout());
        assertTrue(Files.isSymbolicLink(MACHINE.resolve("etc/systemd/system/multi-user.target.wants/jaild.service")),
                "jaild.service is enabled");
        assertTrue(inMachine("dpkg-query", "-W", "-f", "${Conffiles}", "jail").stdout().contains("/etc/jail/jail.yaml"));
        assertTrue(inMachine("sh", "-c", "grep -q /usr/sbin/jaild /lib/systemd/system/jaild.service").exit() == 0);

        // postinst refuses an installation that someone else could change.
        String jar = "/usr/lib/jail/" + version + "/lib/jail-session.jar";
        assertEquals(0, inMachine("chmod", "g+w", jar).exit());
        Cmd.Result check = inMachine("/var/lib/dpkg/info/jail.postinst", "configure");
        assertEquals(0, inMachine("chmod", "g-w", jar).exit());
        assertTrue(check.exit() != 0 && check.stderr().contains(jar), check.toString());
    }

    /**
     * One test, because it is one life: each step acts on what the step before left (an installed package, a
     * running container, a session held open across the upgrade).
     */
    @Test
    void installStartUpgradeRemoveAndPurge() throws Exception {
        installsOnDebian12WithoutAJdkEverythingRootsAndNotWritableByOthers();
        jaildStartsAContainerEnteredWithSuAndSsh();
        anUpgradeLeavesTheContainerAndItsSessionsAloneAndNewSessionsUseTheNewClient();
        removeStopsNothingThatRunsAndPurgeRemovesTheConfiguration();
    }

    @Test
    void lintianFindsNoError() {
        Cmd.Result lint = Cmd.run("lintian", "--tag-display-limit", "0", deb.toString());
        assertFalse(lint.stdout().lines().anyMatch(l -> l.startsWith("E:")), lint.toString());
    }

    private void jaildStartsAContainerEnteredWithSuAndSsh() throws Exception {
        assertEquals(0, inMachine("usermod", "-s", "/usr/bin/jail", "-d", "/srv/c/home/" + USER, "-p", "*", USER).exit());
        Cmd.Result start = inMachine("jaild", "-u", String.valueOf(UID), "-r", "/srv/c");
        assertEquals(0, start.exit(), start.toString());
        assertEquals("", start.stdout() + start.stderr());

        Cmd.Result su = inMachine("su", "-", USER, "-c", "id -u; cat /proc/1/cmdline | tr '\\0' ' '");
        assertEquals(0, su.exit(), su.toString());
        assertTrue(su.stdout().startsWith(UID + "\n") && su.stdout().contains("jaild: master [" + UID),
                su.toString());

        // The launchers take nothing from the environment that would change what runs.
        for (String launcher : List.of("jaild", "jail")) {
            Cmd.Result env = inMachine("env", "JAVA_TOOL_OPTIONS=-XX:+PrintVMOptions", "JDK_JAVA_OPTIONS=-XX:+PrintVMOptions",
                    "_JAVA_OPTIONS=-XX:+PrintVMOptions", launcher, "--version");
            assertEquals(0, env.exit(), env.toString());
            assertFalse((env.stdout() + env.stderr()).matches("(?s).*(Picked up|VM option).*"), env.toString());
        }
        Process marked = Cmd.start(Map.of(), "nsenter", "-t", String.valueOf(machine.pid()), "-m", "env",
                "LD_LIBRARY_PATH=/jdb-marker", "LD_BIND_NOW=1", "jail", "--uid", String.valueOf(UID), "-c", "sleep 5");
        try {
            Await.until(Duration.ofSeconds(20), () -> Cmd.run("pgrep", "-f", "JailMain --uid " + UID + " -c sleep 5").exit() == 0,
                    () -> "the client did not start");
            String pid = Cmd.ok("pgrep", "-n", "-f", "JailMain --uid " + UID + " -c sleep 5").trim();
            String environ = Files.readString(Path.of("/proc", pid, "environ"));
            assertFalse(environ.contains("LD_"), "the JVM got the caller's LD_* variables: " + environ);
        } finally {
            marked.destroy();
        }

        startSshdInMachine();
        Path key = MACHINE.resolve("tmp/sshd/client");
        Cmd.Result ssh = Cmd.run("ssh", "-p", String.valueOf(sshPort), "-i", key.toString(), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-T",
                USER + "@127.0.0.1", "echo via-ssh; id -u");
        assertEquals(0, ssh.exit(), ssh.toString());
        assertEquals("via-ssh\n" + UID + "\n", ssh.stdout());
    }

    private void anUpgradeLeavesTheContainerAndItsSessionsAloneAndNewSessionsUseTheNewClient() throws Exception {
        long init = initPid();
        holdASession();
        // The caches trained at package build time are the ones the installed JVMs map (a rejected one is unmapped).
        String client = Cmd.ok("pgrep", "-n", "-u", String.valueOf(UID), "-f", "jail.cli.client.JailMain").trim();
        assertTrue(Files.readString(Path.of("/proc", client, "maps")).contains("/usr/lib/jail/" + version + "/jail.aot"),
                "the packaged client runs without its AOT cache");
        assertTrue(Files.readString(Path.of("/proc/" + init + "/maps")).contains("/usr/lib/jail/" + version + "/init.aot"),
                "the packaged init runs without its AOT cache");

        Cmd.Result upgrade = apt("install", "/tmp/jail_" + NEXT + "_amd64.deb");
        assertEquals(0, upgrade.exit(), upgrade.toString());
        assertEquals(NEXT, inMachine("dpkg-query", "-W", "-f", "${Version}", "jail").stdout());

        assertEquals(init, initPid(), "the init was restarted by the upgrade");
        assertTrue(inMachine("test", "-f", "/usr/lib/jail/" + version + "/lib/jail-session.jar").exit() == 0,
                "the old version's tree must stay while its init runs");
        assertHeldSessionAnswers("after-upgrade");

        Cmd.Result fresh = inMachine("su", "-", USER, "-c", "echo new-session");
        assertEquals(0, fresh.exit(), fresh.toString());
        assertEquals("new-session\n", fresh.stdout());
        assertTrue(inMachine("grep", "-q", "/usr/lib/jail/" + NEXT, "/usr/bin/jail").exit() == 0);
    }

    private void removeStopsNothingThatRunsAndPurgeRemovesTheConfiguration() throws Exception {
        long init = initPid();
        Cmd.Result remove = apt("remove", "jail");
        assertEquals(0, remove.exit(), remove.toString());
        assertEquals(init, initPid(), "removing the package ended the container");
        assertHeldSessionAnswers("after-remove");
        assertTrue(Files.exists(MACHINE.resolve("etc/jail/jail.yaml")), "remove keeps the configuration");
        // No login shell any more: new sessions fail until the package is installed again.
        assertTrue(inMachine("su", "-", USER, "-c", "true").exit() != 0);

        Cmd.Result purge = apt("purge", "jail");
        assertEquals(0, purge.exit(), purge.toString());
        assertFalse(Files.exists(MACHINE.resolve("etc/jail")), "purge removes /etc/jail");
        assertFalse(Files.exists(MACHINE.resolve("var/log/jail")), "purge removes the logs");
        assertEquals(init, initPid(), "purging the package ended the container");
    }

    // ---------------------------------------------------------------- the machine

    /** A command as root on the Debian machine, in a clean environment. */
    private Cmd.Result inMachine(String... argv) {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(machine.pid()), "-m",
                "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive"));
        command.addAll(Arrays.asList(argv));
        return Cmd.run(command.toArray(String[]::new));
    }

    private Cmd.Result apt(String action, String what) {
        return inMachine("apt-get", action, "-y", "-q", what);
    }

    private long initPid() {
        String state = inMachine("cat", "/run/jail/" + UID + ".state").stdout();
        return state.lines().filter(l -> l.startsWith("pid=")).map(l -> Long.parseLong(l.substring(4).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no init pid in " + state));
    }

    /** A session kept open across the upgrade: it answers each line it reads. */
    private void holdASession() throws IOException {
        if (heldSession != null) return;
        heldSession = Cmd.start(Cmd.Io.MERGED, Map.of(), "nsenter", "-t", String.valueOf(machine.pid()), "-m", "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "su", "-", USER, "-c",
                "echo ready; while read -r line; do echo \"got $line\"; done");
        heldOutput = new BufferedReader(new InputStreamReader(heldSession.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", heldOutput.readLine());
    }

    private void assertHeldSessionAnswers(String word) throws IOException {
        OutputStream in = heldSession.getOutputStream();
        in.write((word + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertEquals("got " + word, heldOutput.readLine(), "the session opened before lost its way");
    }

    /** The machine's own sshd on a free port of 127.0.0.1 (the network is the host's), keys in its /tmp/sshd. */
    private void startSshdInMachine() throws Exception {
        Path dir = MACHINE.resolve("tmp/sshd");
        Files.createDirectories(dir);
        Cmd.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host").toString());
        Cmd.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("client").toString());
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
        Cmd.ok("chmod", "755", dir.toString());
        Cmd.ok("chmod", "644", dir.resolve("authorized_keys").toString());
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            sshPort = s.getLocalPort();
        }
        Files.write(dir.resolve("sshd_config"), List.of("ListenAddress 127.0.0.1", "Port " + sshPort,
                "HostKey /tmp/sshd/host", "PidFile /tmp/sshd/sshd.pid", "AuthorizedKeysFile /tmp/sshd/authorized_keys",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "UseDNS no"));
        assertEquals(0, inMachine("mkdir", "-p", "-m", "0755", "/run/sshd").exit());
        Path log = dir.resolve("sshd.log");
        sshd = Cmd.start(Cmd.Io.toFile(log), Map.of(), "nsenter", "-t", String.valueOf(machine.pid()), "-m", "/usr/sbin/sshd",
                "-D", "-e", "-f", "/tmp/sshd/sshd_config");
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return Files.readString(log).contains("Server listening on 127.0.0.1 port " + sshPort);
            } catch (IOException e) {
                return false;
            }
        }, () -> "the machine's sshd did not start: " + log);
    }

    private static void stopOurInits() {
        // Inits of this test's uid range only (other engineers run containers at the same time).
        Cmd.run("pkill", "-TERM", "-f", "^jaild: master \\[615[0-9][0-9]:");
        Await.until(Duration.ofSeconds(30), () -> Cmd.run("pgrep", "-f", "^jaild: master \\[615[0-9][0-9]:").exit() != 0,
                () -> "the test's inits did not end");
    }

    // ---------------------------------------------------------------- the packages

    /** The package the build made, when it is newer than the jars it holds; otherwise one built now. */
    private static Path packageOfThisBuild() throws IOException {
        Path cliJar;
        try (Stream<Path> jars = Files.list(Cmd.PROJECT.resolve("modules/cli/target"))) {
            cliJar = jars.filter(p -> p.getFileName().toString().matches("jail-cli-.*\\.jar")).findFirst().orElseThrow();
        }
        Path found = newestDeb();
        if (found != null && Files.getLastModifiedTime(found).compareTo(Files.getLastModifiedTime(cliJar)) > 0) return found;
        Cmd.Result build = Cmd.run(null, Map.of("JAVA_HOME", System.getProperty("java.home")),
                Cmd.PROJECT.resolve("packaging/deb/build").toString(), "1.0.0", TARGET.toString());
        assertEquals(0, build.exit(), build.toString());
        return TARGET.resolve("jail_1.0.0_amd64.deb");
    }

    private static Path newestDeb() throws IOException {
        if (!Files.isDirectory(TARGET)) return null;
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(p -> p.getFileName().toString().matches("jail_[^_]+_amd64\\.deb"))
                    .filter(p -> !p.getFileName().toString().contains(NEXT))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElse(null);
        }
    }

    /**
     * The same build as another version: its tree moved to /usr/lib/jail/VERSION and every path to it rewritten.
     * The AOT caches stay valid (the JVM relocates a cache whose jars moved together), as a newer build's would
     * be; building again would take minutes.
     */
    private static Path restamped(Path deb, String next) {
        Path work = TARGET.resolve("deb-restamp");
        String old = deb.getFileName().toString().split("_")[1];
        Path out = work.resolve("jail_" + next + "_amd64.deb");
        Cmd.ok("sh", "-c", "set -e; rm -rf \"$1\"; mkdir -p \"$1\"; dpkg-deb -R \"$2\" \"$1/root\"; cd \"$1/root\";"
                + " mv \"usr/lib/jail/$3\" \"usr/lib/jail/$4\";"
                + " old=$(echo \"$3\" | sed 's/[.]/[.]/g'); sed -i \"s|$old|$4|g\" usr/sbin/jaild usr/bin/jail DEBIAN/*inst DEBIAN/postrm;"
                + " sed -i \"s|^Version: .*|Version: $4|\" DEBIAN/control;"
                + " find . -path ./DEBIAN -prune -o -type f -printf '%P\\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums;"
                + " dpkg-deb --root-owner-group -Zgzip -z1 --build . \"$5\" >/dev/null",
                "restamp", work.toString(), deb.toString(), old, next, out.toString());
        return out;
    }
}

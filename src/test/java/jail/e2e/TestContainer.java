package jail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real container for a test: a root filesystem made by bin/jail-mkrootfs, a host user whose login shell is
 * bin/jail, and (after {@link #start}) a running jaild init. {@link #close} stops the container and removes
 * the user and the rootfs. Each test class uses its own uids and names, so classes never share state.
 */
final class TestContainer implements AutoCloseable {
    static final Path WORK = Path.of(System.getProperty("jail.e2e.dir", "/var/tmp/jail-e2e"));

    final String hostUser;
    final String containerUser;
    final int uid;
    final Path root;
    private final boolean ownsRoot;
    private List<String> jaildFlags = List.of();

    private TestContainer(String hostUser, String containerUser, int uid, Path root, boolean ownsRoot) {
        this.hostUser = hostUser;
        this.containerUser = containerUser;
        this.uid = uid;
        this.root = root;
        this.ownsRoot = ownsRoot;
    }

    /** A fresh busybox rootfs (under a second to make). */
    static TestContainer busybox(String hostUser, int uid) {
        return make("busybox", hostUser, uid);
    }

    /** A Debian minbase rootfs, unpacked from the debootstrap cache (made once per machine, ~40 s). */
    static TestContainer debian(String hostUser, int uid) {
        return make("debian", hostUser, uid);
    }

    /**
     * A Debian rootfs under a directory of mode 0700, as jaild wants it when setuid works inside
     * ({@code --allow-setuid}): other host users cannot reach the setuid programs root inside could make.
     */
    static TestContainer debianPrivate(String hostUser, int uid) {
        return make("debian", hostUser, uid, privateDir().resolve(hostUser));
    }

    /** An empty directory for a test class's files (a leftover of an earlier run is removed first). */
    static Path freshDir(Path dir) {
        Cmd.run("rm", "-rf", dir.toString());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return dir;
    }

    /** A small tmpfs (1 MiB, mode 1777) mounted on the host at {@code dir} (created; a leftover is unmounted). */
    static void mountTmpfs(Path dir) {
        Cmd.run("umount", dir.toString());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Cmd.ok("mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", dir.toString());
    }

    /** The directory of mode 0700 that private root filesystems live in. */
    static Path privateDir() {
        Path dir = WORK.resolve("private");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return dir;
    }

    /**
     * A rootfs for a uid 0 container (root is already in the passwd of both kinds). There is no host user: the
     * host user of uid 0 is root itself, who enters with {@code jail --uid 0} ({@link #jail}). {@code rootfsUid}
     * is only the uid of the rootfs's ordinary user "work".
     */
    static TestContainer rootContainer(String kind, String name, int rootfsUid) {
        // jaild --allow-root wants a ROOTDIR other host users cannot reach: under a directory of mode 0700.
        Path root = privateDir().resolve(name);
        // A leftover of an interrupted earlier run is stopped; a uid 0 container of anyone else is left alone
        // (start() then fails, saying it is running).
        try {
            if (Files.readAllLines(Path.of("/run/jail/0.state")).contains("root=" + root)) Cmd.run(Cmd.JAILD, "stop", "0");
        } catch (IOException e) {
            // no uid 0 container
        }
        Cmd.run("rm", "-rf", root.toString());
        Cmd.ok(Cmd.MKROOTFS, kind, root.toString(), "--user", "work", "--uid", String.valueOf(rootfsUid));
        return new TestContainer(null, "root", 0, root, true);
    }

    private static TestContainer make(String kind, String hostUser, int uid) {
        return make(kind, hostUser, uid, WORK.resolve(hostUser));
    }

    private static TestContainer make(String kind, String hostUser, int uid, Path root) {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(uid)); // a leftover of an interrupted earlier run
        Cmd.run("rm", "-rf", root.toString());
        Cmd.ok(Cmd.MKROOTFS, kind, root.toString(), "--user", "work", "--uid", String.valueOf(uid));
        Cmd.run("userdel", hostUser);
        // The host account: same uid as the container user, home inside the rootfs as in the original demo,
        // login shell bin/jail, password field "*" (not "!": sshd refuses locked accounts even for keys).
        Cmd.ok("useradd", "-M", "-N", "-d", root.resolve("home/work").toString(), "-u", String.valueOf(uid),
                "-s", Cmd.JAIL, "-K", "UID_MAX=70000", hostUser);
        Cmd.ok("usermod", "-p", "*", hostUser);
        return new TestContainer(hostUser, "work", uid, root, true);
    }

    /** Flags of every start of this container, restarts by {@link #running} included (e.g. {@code --detach-grace 0}). */
    TestContainer withJaildFlags(String... flags) {
        jaildFlags = List.of(flags);
        return this;
    }

    TestContainer start() {
        return start(Map.of());
    }

    /** Starts it unless its init is alive: for a test that needs it running, whatever ran before it. */
    TestContainer running() {
        Cmd.Result status = Cmd.run(Cmd.JAILD, "status", String.valueOf(uid), "--json");
        boolean alive = status.exit() == 0 && "running".equals(new io.vertx.core.json.JsonObject(status.stdout()).getString("state"));
        return alive ? this : start();
    }

    /** Starts with extra jaild flags, e.g. {@code --allow-root}, {@code --hello-timeout 1}, {@code --max-sessions 2}. */
    TestContainer start(String... extraFlags) {
        return start(Map.of(), extraFlags);
    }

    /** Starts with extra jaild flags and extra variables in jaild's environment. */
    TestContainer start(Map<String, String> env, String... extraFlags) {
        Cmd.Result r = Cmd.run(null, env, jaildArgv(extraFlags));
        if (r.exit() != 0) throw new AssertionError("jaild failed: " + r);
        return this;
    }

    /** jaild's command line for this container, its own flags, plus extra flags (for tests that expect jaild to refuse). */
    String[] jaildArgv(String... extraFlags) {
        List<String> argv = new ArrayList<>(List.of(Cmd.JAILD, "-u", String.valueOf(uid), "-r", root.toString()));
        argv.addAll(jaildFlags);
        argv.addAll(List.of(extraFlags));
        return argv.toArray(String[]::new);
    }

    /** {@code jail --uid UID -c command} run by root on the host (pipes mode: stdin is /dev/null). */
    Cmd.Result jail(String command) {
        return Cmd.run(Cmd.JAIL, "--uid", String.valueOf(uid), "-c", command);
    }

    Cmd.Result su(String command) {
        return Cmd.su(hostUser, command);
    }

    /** The init's pid on the host, from the state file jaild wrote. */
    int initPid() {
        try {
            for (String line : Files.readAllLines(Path.of("/run/jail/" + uid + ".state"))) {
                if (line.startsWith("pid=")) return Integer.parseInt(line.substring(4));
            }
        } catch (IOException e) {
            throw new AssertionError("no state file for uid " + uid, e);
        }
        throw new AssertionError("no pid in state file");
    }

    /** The init's thread count, from the Threads line of /proc/PID/status on the host. */
    int initThreads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + initPid() + "/status"))) {
                if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the init's status", e);
        }
        throw new AssertionError("no Threads line in the init's status");
    }

    /** The number of fds the init holds open (the entries of /proc/PID/fd). */
    int initFds() {
        try (var fds = Files.list(Path.of("/proc/" + initPid() + "/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list the init's fds", e);
        }
    }

    /**
     * Every process of the container's PID namespace, as the host sees it: host pid to its state letter from
     * /proc/PID/stat (R, S, Z, ...). The init itself is included.
     */
    Map<Integer, Character> processes() {
        Map<Integer, Character> found = new java.util.TreeMap<>();
        Path ns;
        try {
            ns = Files.readSymbolicLink(Path.of("/proc/" + initPid() + "/ns/pid"));
        } catch (IOException e) {
            throw new AssertionError("cannot read the init's pid namespace", e);
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (!Files.readSymbolicLink(p.resolve("ns/pid")).equals(ns)) continue;
                    String stat = Files.readString(p.resolve("stat"));
                    found.put(Integer.parseInt(name), stat.charAt(stat.lastIndexOf(')') + 2));
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return found;
    }

    @Override
    public void close() {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(uid));
        if (uid != 0) Cmd.run("pkill", "-KILL", "-u", String.valueOf(uid)); // never "every process of root"
        if (hostUser != null) Cmd.run("userdel", hostUser);
        if (ownsRoot) Cmd.run("rm", "-rf", root.toString());
    }
}

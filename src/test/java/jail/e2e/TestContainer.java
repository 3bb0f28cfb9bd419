package jail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private static TestContainer make(String kind, String hostUser, int uid) {
        Path root = WORK.resolve(hostUser);
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

    TestContainer start() {
        Cmd.Result r = Cmd.run(Cmd.JAILD, "-u", String.valueOf(uid), "-r", root.toString());
        if (r.exit() != 0) throw new AssertionError("jaild failed: " + r);
        return this;
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

    @Override
    public void close() {
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(uid));
        Cmd.run("pkill", "-KILL", "-u", String.valueOf(uid));
        Cmd.run("userdel", hostUser);
        if (ownsRoot) Cmd.run("rm", "-rf", root.toString());
    }
}

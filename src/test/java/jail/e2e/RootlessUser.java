package jail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordinary host user made by a test, with what a login would give it: a home (mode 0700), a runtime
 * directory /run/user/UID (0700, its own), and optionally ranges in /etc/subuid and /etc/subgid. Its commands run
 * through {@code runuser} with {@code XDG_RUNTIME_DIR} and {@code HOME} set, nothing else of root's. {@link #close}
 * stops its containers, ends its processes, and removes the user, its directories and its ranges.
 */
final class RootlessUser implements AutoCloseable {
    static final Path HOMES = TestContainer.WORK.resolve("rootless");
    private static final String RUNUSER = Files.exists(Path.of("/usr/sbin/runuser")) ? "/usr/sbin/runuser" : "/sbin/runuser";

    final String name;
    final int uid;
    final Path home;
    final Path runtimeDir;
    private final String subidLine;

    private RootlessUser(String name, int uid, String subidLine) {
        this.name = name;
        this.uid = uid;
        this.home = HOMES.resolve(name);
        this.runtimeDir = Path.of("/run/user/" + uid);
        this.subidLine = subidLine;
    }

    /** A user without subordinate ids. */
    static RootlessUser create(String name, int uid) {
        return create(name, uid, 0, 0);
    }

    /** A user with {@code count} subordinate uids and gids from {@code subStart} (0: none). */
    static RootlessUser create(String name, int uid, long subStart, int count) {
        RootlessUser u = new RootlessUser(name, uid, count == 0 ? null : name + ":" + subStart + ":" + count);
        u.removeLeftovers();
        Cmd.ok("mkdir", "-p", HOMES.toString());
        Cmd.ok("chmod", "755", HOMES.toString());
        Cmd.ok("useradd", "-m", "-d", u.home.toString(), "-u", String.valueOf(uid), "-U", "-s", "/bin/sh",
                "-K", "UID_MAX=70000", "-K", "GID_MAX=70000",
                // useradd would give the user subordinate ids of its own choice: only the ones asked for here.
                "-K", "SUB_UID_COUNT=0", "-K", "SUB_GID_COUNT=0", name);
        Cmd.ok("chmod", "700", u.home.toString());
        Cmd.ok("install", "-d", "-m", "700", "-o", name, "-g", name, u.runtimeDir.toString());
        if (u.subidLine != null) {
            for (String f : List.of("/etc/subuid", "/etc/subgid")) Cmd.ok("sh", "-c", "echo '" + u.subidLine + "' >> " + f);
        }
        return u;
    }

    /** A root filesystem in the user's home, made by bin/jail-mkrootfs and then given to the user. */
    Path rootfs(String kind, String dir) {
        Path root = home.resolve(dir);
        Cmd.ok(Cmd.MKROOTFS, kind, root.toString(), "--user", name, "--uid", String.valueOf(uid));
        for (Path p = root; !p.equals(home); p = p.getParent()) Cmd.ok("chown", "-R", name + ":" + name, p.toString());
        return root;
    }

    /** Runs a command as this user, as its own login would (runtime directory and home set). */
    Cmd.Result run(String... argv) {
        return Cmd.run(argvAs(argv));
    }

    String[] argvAs(String... argv) {
        List<String> all = new ArrayList<>(List.of(RUNUSER, "-u", name, "--", "env", "-i", "PATH=/usr/bin:/bin",
                "XDG_RUNTIME_DIR=" + runtimeDir, "HOME=" + home, "USER=" + name, "LANG=C.UTF-8"));
        all.addAll(Arrays.asList(argv));
        return all.toArray(String[]::new);
    }

    Cmd.Result jaild(String... args) {
        List<String> argv = new ArrayList<>(List.of(Cmd.JAILD));
        argv.addAll(Arrays.asList(args));
        return run(argv.toArray(String[]::new));
    }

    Cmd.Result jail(String command) {
        return run(Cmd.JAIL, "-c", command);
    }

    /** Pids of this user's processes on the host. */
    List<Integer> processes() {
        List<Integer> pids = new ArrayList<>();
        for (String line : Cmd.lines(Cmd.run("ps", "-o", "pid=", "-u", String.valueOf(uid)).stdout())) {
            pids.add(Integer.parseInt(line.trim()));
        }
        return pids;
    }

    private void removeLeftovers() {
        if (Cmd.run("id", "-u", name).exit() == 0) {
            run(Cmd.JAILD, "stop", "--all");
            for (int pid : processes()) Cmd.run("kill", "-9", String.valueOf(pid));
            Cmd.run("userdel", name);
        }
        Cmd.run("rm", "-rf", home.toString(), runtimeDir.toString());
        for (String f : List.of("/etc/subuid", "/etc/subgid")) {
            try {
                List<String> kept = Files.readAllLines(Path.of(f)).stream().filter(l -> !l.startsWith(name + ":")).toList();
                Files.write(Path.of(f), kept);
            } catch (IOException e) {
                // no such file: nothing to remove
            }
        }
    }

    @Override
    public void close() {
        removeLeftovers();
    }
}

package jail.session.init;

import jail.namespace.Credentials;
import jail.namespace.MountNamespace;
import jail.namespace.NativeFd;
import jail.namespace.io.Pipes;
import jail.namespace.account.GroupFile;
import jail.namespace.account.PasswdEntry;
import jail.namespace.account.PasswdFile;
import jail.namespace.ResourceLimits;
import jail.namespace.ThrowawayThread;
import jail.namespace.spawn.Confinement;
import jail.namespace.spawn.ExecHelper;
import jail.namespace.spawn.ProcessSpawner;
import jail.namespace.spawn.SpawnRequest;
import jail.namespace.spawn.SyscallFilter;
import jail.pty.PtyPair;
import jail.pty.WindowSize;
import jail.session.protocol.Hello;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jail.namespace.jna.Constants.*;

/**
 * Starts one session inside the container. The sequence runs on a fresh thread that is thrown away
 * afterwards, because it changes that thread's filesystem root for good; the thread stays root throughout:
 * <ol>
 *   <li>enter the container's mount namespace (root and cwd become the container's root);</li>
 *   <li>look the user up in the container's own /etc/passwd and /etc/group;</li>
 *   <li>open a pty in the container's devpts (terminal mode) or three pipes (pipes mode);</li>
 *   <li>posix_spawn jail-exec ({@link ExecHelper}) as a new session leader, the pty slave as controlling
 *       terminal, fds 0-2 only; it drops to the user in its own process (limits, bounding set, syscall filter,
 *       groups, gid, uid, capabilities, no_new_privs, verify) and execs the shell.</li>
 * </ol>
 * No thread of the init ever holds the user's credentials: the kernel judges kill(2) and prlimit(2) against
 * the target thread's, so such a thread would be the user's to signal. The thread creates no threads and
 * loads no classes after step 1 ({@link #preload()}).
 */
final class SessionSpawner {
    /** Pipe buffers of 1 MiB (pipe-max-size's default): bulk copies (scp, rsync) move in bigger batches. */
    private static final int PIPE_SIZE = 1 << 20;
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    static final String ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final MountNamespace container;
    private final ExecHelper helper;
    private final int uid;
    private final int gid;
    private final boolean noNewPrivs;
    private final List<String> extraEnvironment; // as envp entries, made before any thread enters the container
    private final ResourceLimits limits;
    private final SyscallFilter filter;

    SessionSpawner(MountNamespace container, ExecHelper helper, int uid, int gid, boolean noNewPrivs,
                   java.util.Map<String, String> extraEnvironment, ResourceLimits limits, SyscallFilter filter) {
        this.container = container;
        this.helper = helper;
        this.uid = uid;
        this.gid = gid;
        this.noNewPrivs = noNewPrivs;
        this.extraEnvironment = extraEnvironment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        this.limits = limits;
        this.filter = filter;
    }

    /**
     * What a spawn produced: the shell's pid, our ends of its terminal or pipes, and what of the client's TERM
     * and locale was changed to fit the container (one line each, for the log).
     */
    record Spawned(int pid, String tty, int master, int stdin, int stdout, int stderr, String user,
                   List<String> fitted) {}

    /** Prepared session: the fds are open, the spawn itself is {@link #start}. */
    final class Prepared {
        private final Hello hello;
        private final List<String> clientEnv;
        private Spawned result;

        Prepared(Hello hello, List<String> clientEnv) {
            this.hello = hello;
            this.clientEnv = clientEnv;
        }

        /** Runs the spawn sequence on a throwaway thread and returns the new pid. */
        int start() {
            try {
                result = ThrowawayThread.run("spawner", () -> spawnInContainer(hello, clientEnv));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while spawning");
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return result.pid();
        }

        Spawned result() {
            return result;
        }
    }

    Prepared prepare(Hello hello, List<String> clientEnv) {
        return new Prepared(hello, clientEnv);
    }

    private Spawned spawnInContainer(Hello hello, List<String> clientEnv) {
        container.enter();

        PasswdEntry user = PasswdFile.read(Path.of("/etc/passwd")).byUid(uid)
                .orElseThrow(() -> new IllegalStateException("uid " + uid + " has no entry in the container's /etc/passwd"));
        int[] groups = GroupFile.read(Path.of("/etc/group")).groupsOf(user.name(), gid);
        Credentials credentials = new Credentials(uid, gid, groups);
        String home = Files.isDirectory(Path.of(user.home()), LinkOption.NOFOLLOW_LINKS) ? user.home() : "/";
        String shell = user.loginShell();

        boolean terminal = hello.mode() == Hello.Mode.TERMINAL;
        PtyPair pty = null;
        int[] in = null, out = null, err = null;
        try {
            if (terminal) {
                pty = PtyPair.open("/dev/pts");
                pty.chownSlave(uid, ttyGroup());
                new WindowSize(orDefault(hello.rows(), 24), orDefault(hello.cols(), 80)).applyTo(pty.master());
            } else {
                in = Pipes.create();
                out = Pipes.create();
                err = Pipes.create();
                for (int[] p : new int[][]{in, out, err}) Pipes.resize(p[0], PIPE_SIZE);
            }

            List<String> env = SessionEnvironment.build(user, home, shell, hello, clientEnv, terminal ? pty.slavePath() : null);
            Path root = Path.of("/"); // the container's, on this thread; looked up afresh for every session
            List<String> fitted = new CarriedSettings(new TerminfoDatabase(root), new LocaleCatalog(root)).fit(env);
            SessionEnvironment.addExtra(env, extraEnvironment);
            SpawnRequest request = new SpawnRequest(shell, argv(shell, hello), env).newSession();
            if (terminal) {
                // Opened after setsid (and without O_NOCTTY): the slave becomes the controlling terminal.
                request.open(0, pty.slavePath(), O_RDWR, 0).dup2(0, 1).dup2(0, 2);
            } else {
                request.dup2(in[0], 0).dup2(out[1], 1).dup2(err[1], 2);
            }
            int pid = ProcessSpawner.spawn(helper.confined(request,
                    new Confinement(credentials, noNewPrivs, limits, filter, home)));

            if (terminal) {
                NativeFd.setNonBlocking(pty.master());
                return new Spawned(pid, pty.slavePath(), pty.master(), -1, -1, -1, user.name(), fitted);
            }
            NativeFd.close(in[0]);
            NativeFd.close(out[1]);
            NativeFd.close(err[1]);
            NativeFd.setNonBlocking(in[1]);
            NativeFd.setNonBlocking(out[0]);
            NativeFd.setNonBlocking(err[0]);
            return new Spawned(pid, null, -1, in[1], out[0], err[0], user.name(), fitted);
        } catch (RuntimeException e) {
            if (pty != null) pty.close();
            for (int[] p : new int[][]{in, out, err}) {
                if (p != null) {
                    NativeFd.close(p[0]);
                    NativeFd.close(p[1]);
                }
            }
            throw e;
        }
    }

    /** argv as sshd and login(1) build it: "-bash" for a login shell, then "-c command" if any. */
    static List<String> argv(String shell, Hello hello) {
        String base = shell.substring(shell.lastIndexOf('/') + 1);
        List<String> argv = new ArrayList<>();
        argv.add(hello.login() ? "-" + base : base);
        if (hello.command() != null) {
            argv.add("-c");
            argv.add(hello.command());
        }
        return argv;
    }

    /**
     * The container's "tty" group owns pty slaves, as on any Linux; 5 when it has none; -1 (left as it is) when
     * that group does not exist in a rootless container's user namespace.
     */
    private static int ttyGroup() {
        int tty = groupId("tty", 5);
        return jail.namespace.userns.IdMap.gids().maps(tty) ? tty : -1;
    }

    /** The gid of a group of the container's /etc/group (read from inside it), or {@code fallback}. */
    static int groupId(String name, int fallback) {
        try {
            return GroupFile.read(Path.of("/etc/group")).entries().stream()
                    .filter(g -> g.name().equals(name)).findFirst().map(g -> g.gid()).orElse(fallback);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }

    /**
     * Loads every class the spawner thread needs while the JVM still sees its own jars: after it enters the
     * container, a class loaded lazily from the host filesystem would fail (and stay failed).
     */
    static void preload() {
        for (Class<?> c : new Class<?>[]{PasswdFile.class, GroupFile.class, PasswdEntry.class, Credentials.class,
                Confinement.class, PtyPair.class, WindowSize.class, SpawnRequest.class, ProcessSpawner.class,
                SessionEnvironment.class, NativeFd.class, Spawned.class, Prepared.class,
                jail.namespace.SyscallException.class, jail.namespace.Errno.class,
                jail.namespace.account.AccountFileException.class, jail.namespace.jna.LibC.class,
                ResourceLimits.class, SyscallFilter.class, ExecHelper.class, ThrowawayThread.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            // What the spawner thread itself creates when its step fails.
            Class.forName(ThrowawayThread.class.getName() + "$Failure", true, ThrowawayThread.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        // Exercise the parsers and lambdas once on the host side so their helper classes exist.
        PasswdFile.parse("root:x:0:0::/root:/bin/sh\n", "preload").byUid(0);
        GroupFile.parse("tty:x:5:a,b\n", "preload").groupsOf("a", 0);
        GroupFile.parse("tty:x:5:\n", "preload").entries().stream().filter(g -> g.name().equals("tty")).findFirst().map(g -> g.gid()).orElse(5);
        SessionEnvironment.build(new PasswdEntry("u", 1, 1, "", "/", "/bin/sh"), "/", "/bin/sh",
                new Hello(1, Hello.Mode.TERMINAL, true, 24, 80, "x", "xterm", List.of("LANG=C")), List.of("LANG=C"), "/dev/pts/0");
        argv("/bin/sh", new Hello(1, Hello.Mode.PIPES, false, 0, 0, "x", "", List.of()));
        SessionEnvironment.addExtra(new ArrayList<>(List.of("A=1")), List.of("A=2", "B=3"));
        jail.namespace.locale.LocaleArchive.preload();
        new CarriedSettings(new TerminfoDatabase(Path.of("/jail-preload-absent")), new LocaleCatalog(Path.of("/jail-preload-absent")))
                .fit(new ArrayList<>(List.of("TERM=tmux-256color", "LANG=xx_YY.UTF-8", "LC_ALL=C")));
        SpawnRequest sample = new SpawnRequest("/bin/true", List.of("x"), List.of()).newSession().open(0, "/", 0, 0).dup2(0, 1);
        new Confinement(new Credentials(1, 1, new int[]{1}), true, ResourceLimits.DEFAULTS, SyscallFilter.DEFAULT, "/")
                .helperArguments();
        sample.closeFrom(3).chdir("/");
    }
}

package jail.session.init;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import jail.namespace.MountNamespace;
import jail.namespace.NativeFd;
import jail.namespace.Namespaces;
import jail.namespace.ThrowawayThread;
import jail.namespace.spawn.ExecHelper;
import jail.namespace.jna.LibC;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;

/**
 * The container's PID 1: jaild's "trojan horse". jaild spawned it into new PID, mount, UTS and IPC namespaces;
 * from here it builds the container's filesystem, then serves sessions on a unix socket that lives on the
 * host side, where the container cannot see it. When this process ends, the kernel kills everything in the
 * container and its mounts disappear with the namespace.
 *
 * <p>Start-up, top to bottom: check we are PID 1; take the signals ({@link InitSignals}); preload what
 * spawner threads need; open the session helper (jail-exec) while the host filesystem is in view; make mounts
 * private; set the hostname; build the container's mount namespace on a throwaway thread; start the reaper and
 * the I/O loop; listen; report READY to jaild on the readiness fd.
 */
public final class ContainerInit {
    private static final Logger LOG = Logger.getLogger(ContainerInit.class.getName());
    public static final String EXEC_HELPER = "jail.exec-helper";

    private ContainerInit() {}

    public static void main(String[] args) {
        InitConfig config;
        try {
            config = InitConfig.decode(args);
        } catch (InitConfig.InitConfigException e) {
            System.err.println("jaild init: " + e.getMessage());
            System.exit(2);
            return;
        }
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setFormatter(new AuditLogFormatter(config.name()));
        }
        try {
            run(config);
        } catch (Throwable e) {
            LOG.severe("container for uid " + config.uid() + " failed to start: " + e);
            report(config.readyFd(), "ERROR " + oneLine(e));
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(InitConfig config) throws Exception {
        if (LibC.getpid() != 1) {
            throw new IllegalStateException("the init must be PID 1 of a new PID namespace (it is "
                    + LibC.getpid() + ")");
        }
        Thread signals = new Thread(new InitSignals(), "signals");
        signals.setDaemon(true);
        signals.start();
        SessionSpawner.preload();
        ExecHelper helper = ExecHelper.open(execHelperPath());
        MountNamespace.makeAllMountsPrivate();
        if (!config.hostname().isEmpty()) Namespaces.setHostname(config.hostname());
        MountNamespace container = ThrowawayThread.run("mount-setup", () -> MountNamespace.create(config.root(), config.binds(), config.maxPtys()));

        ChildReaper reaper = new ChildReaper();
        Thread reaperThread = new Thread(reaper, "reaper");
        reaperThread.start();
        RelayLoop loop = new RelayLoop();
        Thread relayThread = new Thread(loop, "relay");
        relayThread.setDaemon(true);
        relayThread.start();

        Vertx vertx = startVertx();
        SessionSpawner spawner = new SessionSpawner(container, helper, config.uid(), config.gid(), config.noNewPrivs(),
                config.environment(), config.rlimits(), config.seccomp(), config.cgroups());
        SessionServer server = new SessionServer(config, vertx, spawner, reaper, loop, LoginRecords.start(container));
        Files.deleteIfExists(config.socket()); // jaild checked that no live init owns it
        server.listen(config.socket());
        // Anyone may connect; SO_PEERCRED decides who gets in.
        Files.setPosixFilePermissions(config.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(config.socket());
                Files.deleteIfExists(config.stateFile());
            } catch (Exception ignored) {
                // best effort: jaild stop removes them too
            }
        }, "cleanup"));

        LOG.info("container ready: uid " + config.uid() + ", gid " + config.gid() + ", root " + config.root()
                + ", socket " + config.socket());
        report(config.readyFd(), "READY");
        reaperThread.join();
    }

    /** Where jaild's build keeps jail-exec: passed by jaild as the system property {@value #EXEC_HELPER}. */
    private static Path execHelperPath() {
        String path = System.getProperty(EXEC_HELPER);
        if (path == null) throw new IllegalStateException("the session helper's path is not set (-D" + EXEC_HELPER + ")");
        return Path.of(path);
    }

    /** Vert.x as small as an init needs: one event loop (the socket server), two workers, epoll. */
    static Vertx startVertx() {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        if (!vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException("Netty epoll transport unavailable: " + vertx.unavailableNativeTransportCause());
        }
        return vertx;
    }

    private static void report(int fd, String line) {
        if (fd < 0) return;
        try {
            NativeFd.writeFully(fd, (line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException ignored) {
            // jaild is gone: nobody to tell
        }
        NativeFd.close(fd);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace('\n', ' ');
    }
}

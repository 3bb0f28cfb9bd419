package jail.session.init;

import io.vertx.core.Vertx;
import jail.cgroup.SessionUsage;
import jail.namespace.ExitStatus;
import jail.namespace.MountNamespace;
import jail.namespace.Namespaces;
import jail.namespace.Processes;
import jail.namespace.SignalInbox;
import jail.namespace.io.Fds;
import jail.namespace.io.Pipes;
import jail.namespace.io.Splice;
import jail.namespace.jna.LibC;
import jail.namespace.logins.LastlogEntry;
import jail.namespace.logins.LoginFile;
import jail.namespace.logins.UtmpEntry;
import jail.session.client.SessionClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The training workload for the init's AOT cache, run at build time by {@link jail.session.container.InitAotCache}
 * with the init's own JVM flags and class path: the init's start-up on the host, without namespaces or root
 * (JNA, the spawner's preloaded classes, the reaper and I/O threads, Vert.x with the init's options, the
 * session server on a scratch socket), then one client asking for the status, as {@code jaild list} does, and
 * the classes of what it cannot run. The cache then holds these classes loaded and linked, which is most of an
 * init's start-up.
 */
public final class InitAotTraining {
    private InitAotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jail-init-aot");
        Path socket = dir.resolve("training.sock");
        try {
            int uid = LibC.geteuid();
            // Through the codec, as every init reads its configuration.
            InitConfig config = InitConfig.decode(new InitConfig(uid, LibC.getgid(), dir, socket, dir.resolve("state"),
                    "", -1, true, 4, 10_000).encode().toArray(String[]::new));
            SessionSpawner.preload();
            ChildReaper reaper = new ChildReaper();
            Thread reaperThread = new Thread(reaper, "reaper");
            reaperThread.setDaemon(true);
            reaperThread.start();
            RelayLoop loop = new RelayLoop();
            Thread relayThread = new Thread(loop, "relay");
            relayThread.setDaemon(true);
            relayThread.start();
            Vertx vertx = ContainerInit.startVertx();
            // No container mount namespace: a status request spawns nothing, and the spawn path's classes are
            // loaded by preload() above.
            SessionSpawner spawner = new SessionSpawner(null, null, uid, config.gid(), true, java.util.Map.of(),
                    jail.namespace.ResourceLimits.DEFAULTS, jail.namespace.spawn.SyscallFilter.DEFAULT);
            new SessionServer(config, vertx, spawner, reaper, loop).listen(socket);
            try {
                SessionClient.connect(socket, uid).status();
            } catch (SessionClient.ConnectFailure refused) {
                // status is for root only: a build as another user trains the refusal instead
            }
            loadWhatThisRunDoesNotReach();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }

    /**
     * Classes every init loads that this run, without root or namespaces, does not reach: the log's formatter
     * as {@link ContainerInit#main} installs it, the signals thread, the mount namespace, the login records and a
     * session's relay. Loaded here (a class literal loads its class), the cache holds them, and an init does not
     * parse them from the jars into a metaspace of its own (0.3 MiB per init with 20 running). A class renamed
     * or removed fails this file's compilation, not the cache.
     */
    private static void loadWhatThisRunDoesNotReach() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.setFormatter(new AuditLogFormatter("training"));
            handler.getFormatter().format(new LogRecord(Level.INFO, "training"));
        }
        List.of(InitSignals.class, SignalInbox.class, MountNamespace.class, Namespaces.class,
                LoginRecords.class, UtmpEntry.class, LastlogEntry.class, LoginFile.class,
                ClientConnection.class, SessionRelay.class, SessionRelay.Watch.class, FrameWriter.class,
                SessionRegistry.Entry.class, OutputRing.class, AgentChannels.class, ExitStatus.class,
                Processes.Ended.class, Pipes.class, Fds.class, Splice.class, Splice.Refused.class, SessionUsage.class);
    }
}

package jail.session.init;

import io.vertx.core.Vertx;
import jail.namespace.jna.LibC;
import jail.session.client.SessionClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training workload for the init's AOT cache, run at build time by {@link jail.session.container.InitAotCache}
 * with the init's own JVM flags and class path: the init's start-up on the host, without namespaces or root
 * (JNA, the spawner's preloaded classes, the reaper and I/O threads, Vert.x with the init's options, the
 * session server on a scratch socket), then one client asking for the status, as {@code jaild list} does.
 * The cache then holds these classes loaded and linked, which is most of an init's start-up.
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
            vertx.close().toCompletionStage().toCompletableFuture().get();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }
}

package jail.session.init;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import jail.namespace.ExitStatus;
import jail.session.protocol.ContainerStatus;
import jail.session.protocol.ErrorCode;
import jail.session.protocol.Frame;
import jail.session.protocol.Hello;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The init's unix-socket server (Vert.x, Netty epoll). The door is decided here, from the kernel's
 * SO_PEERCRED of each connection: only the container's uid and root get in; whatever a client says about
 * itself is never consulted. In a rootless container the kernel translates the peer's uid into the init's user
 * namespace (unmapped uids, host root's included, read as the overflow uid 65534), and only the owner gets in:
 * uid 0 there is the container's own root, a subordinate id, not the host's. A refused or broken connection
 * ends alone; the server keeps serving.
 */
final class SessionServer {
    private static final Logger LOG = Logger.getLogger(SessionServer.class.getName());

    private final InitConfig config;
    private final boolean hostRootMayEnter = jail.namespace.userns.IdMap.uids().isInitial();
    private final Vertx vertx;
    private final SessionSpawner spawner;
    private final ChildReaper reaper;
    private final RelayLoop loop;
    private final AtomicInteger sessions = new AtomicInteger();
    private final java.util.Map<Integer, SessionRecord> active = new java.util.concurrent.ConcurrentHashMap<>();
    private final Instant started = Instant.now();
    private NetServer server;
    private static final long REFUSED_GRACE_MILLIS = 1000;
    private final DoorKeeper door;
    private final RelayAllowance allowance;
    private final LoginRecords logins;
    private final SessionRegistry registry = new SessionRegistry();

    SessionServer(InitConfig config, Vertx vertx, SessionSpawner spawner, ChildReaper reaper, RelayLoop loop) {
        this(config, vertx, spawner, reaper, loop, LoginRecords.disabled());
    }

    SessionServer(InitConfig config, Vertx vertx, SessionSpawner spawner, ChildReaper reaper, RelayLoop loop,
                  LoginRecords logins) {
        this.config = config;
        this.vertx = vertx;
        this.spawner = spawner;
        this.reaper = reaper;
        this.loop = loop;
        this.logins = logins;
        this.allowance = RelayAllowance.forSessions(config.maxSessions());
        this.door = new DoorKeeper(config.uid(), hostRootMayEnter);
    }

    void listen(Path socketPath) throws Exception {
        server = vertx.createNetServer(new NetServerOptions());
        server.connectHandler(this::accept);
        server.listen(SocketAddress.domainSocketAddress(socketPath.toString()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void accept(NetSocket socket) {
        VertxConnection connection = VertxConnection.of(socket);
        Channel channel = connection.channel();
        door.guard(channel.parent()); // from now on the acceptor thread decides (the first ones are decided here)
        Runnable settle = door.release(channel);
        if (settle == null) {
            channel.close();
            return;
        }
        // A refused or vanished peer's reset is no news: without a handler Vert.x would log each one.
        socket.exceptionHandler(e -> { });
        int uid;
        try {
            uid = connection.peerUid();
        } catch (Exception e) {
            socket.close();
            return;
        }
        if (!door.allowed(uid)) {
            String msg = "permission denied: uid " + uid + " may not enter the container of uid " + config.uid();
            SocketEnding.endWith(vertx, socket, Buffer.buffer(Frame.error(ErrorCode.DENIED, msg).encode()), REFUSED_GRACE_MILLIS);
            return;
        }
        new ClientConnection(this, vertx, socket, uid, settle).start(config.helloTimeoutMillis());
    }

    SessionSpawner.Spawned spawn(Hello hello, Consumer<ExitStatus> onExit) {
        SessionSpawner.Prepared prepared = spawner.prepare(hello, List.copyOf(hello.env()),
                hello.agent() && config.agentForwarding());
        reaper.spawnAndWatch(prepared::start, onExit);
        return prepared.result();
    }

    boolean reserveSession() {
        while (true) {
            int n = sessions.get();
            if (n >= config.maxSessions()) return false;
            if (sessions.compareAndSet(n, n + 1)) return true;
        }
    }

    void releaseSession() {
        sessions.decrementAndGet();
    }

    void sessionStarted(SessionRecord record, List<String> fitted) {
        active.put(record.pid(), record);
        if (record.tty() != null) {
            logins.login(record.pid(), record.tty(), record.user(), record.uid(), record.remoteHost(), record.remoteAddress());
        }
        LOG.info("session " + record.pid() + " started: " + record.describe());
        for (String change : fitted) LOG.info("session " + record.pid() + ": " + change);
    }

    void sessionFinished(SessionRelay session, SessionRecord record, int id) {
        registry.remove(id);
        releaseSession();
        active.remove(record.pid());
        if (record.tty() != null) logins.logout(record.pid());
        ExitStatus exit = session.exitStatus();
        String usage = record.usage().describe();
        LOG.info("session " + session.pid() + " ended: " + (exit != null ? exit
                : session.hungUpFor() != null ? session.hungUpFor() + ", hung up" : "client went away, hung up")
                + ", after " + record.duration(Instant.now()) + (usage.isEmpty() ? "" : ", " + usage) + "; " + record.describe());
        if (record.cgroup() != null) vertx.executeBlocking(() -> removeCgroup(record), false);
    }

    /**
     * The session's cgroup goes (off the event loop: it may wait for exiting processes); what the session left
     * running moves to the container's cgroup (SessionCgroup says why).
     */
    private static Void removeCgroup(SessionRecord record) {
        try {
            record.cgroup().remove();
        } catch (RuntimeException e) {
            LOG.warning("session " + record.pid() + ": " + e.getMessage());
        }
        return null;
    }

    /** Who may ask for the status: root; in a rootless container its owner, who started it. */
    boolean isAdmin(int peerUid) {
        return hostRootMayEnter ? peerUid == 0 : peerUid == config.uid();
    }

    int uid() {
        return config.uid();
    }

    int maxSessions() {
        return config.maxSessions();
    }

    SessionTimeLimits timeLimits() {
        return config.timeLimits();
    }

    SessionRegistry registry() {
        return registry;
    }

    DetachPolicy detachPolicy() {
        return config.detachPolicy();
    }

    /** Each detached session's share of the container's bound on kept output. */
    int ringCapacity() {
        return OutputRing.capacityFor(config.maxSessions());
    }

    RelayLoop loop() {
        return loop;
    }

    RelayAllowance allowance() {
        return allowance;
    }

    /** The STATUS answer, as a JSON document (ContainerStatus). */
    String statusText() {
        return status().toJson();
    }

    ContainerStatus status() {
        List<ContainerStatus.Session> list = active.values().stream().sorted(java.util.Comparator.comparingInt(SessionRecord::pid))
                .map(r -> r.toStatus(registry.detachedByPid(r.pid()))).toList();
        return new ContainerStatus(config.uid(), config.gid(), config.root().toString(), started, sessions.get(),
                reaper.reapedCount(), Thread.activeCount(), list);
    }
}

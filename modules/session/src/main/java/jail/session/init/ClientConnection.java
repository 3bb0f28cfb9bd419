package jail.session.init;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import jail.namespace.ExitStatus;
import jail.session.protocol.ErrorCode;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameDecoder;
import jail.session.protocol.FrameType;
import jail.session.protocol.Hello;
import jail.session.protocol.ProtocolException;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * One client connection, from HELLO to the end of its session. States: waiting for HELLO (with a deadline),
 * spawning or attaching (frames that arrive meanwhile are kept in order), running (frames go to the
 * {@link SessionRelay}). LIST and KILL are answered at once; ATTACH takes over a detached session
 * ({@link SessionRegistry} says which ones this peer may see).
 * A protocol error ends this connection with an ERROR frame and nothing else.
 */
final class ClientConnection {
    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    private enum State { AWAIT_HELLO, SPAWNING, ATTACHING, RUNNING, CLOSED }

    private final SessionServer server;
    private final Vertx vertx;
    private final Context context;
    private final NetSocket socket;
    private final int peerUid;
    private final FrameDecoder decoder = new FrameDecoder(this::onFrame).maxPayload(jail.session.protocol.Protocol.MAX_HELLO);
    private final List<Frame> early = new ArrayList<>();
    private State state = State.AWAIT_HELLO;
    private SessionRelay session;
    private long helloTimer;
    /** Tells the server's admission count that this connection is now a session (or gone). */
    private final Runnable settled;

    ClientConnection(SessionServer server, Vertx vertx, NetSocket socket, int peerUid, Runnable settled) {
        this.server = server;
        this.settled = settled;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.socket = socket;
        this.peerUid = peerUid;
    }

    void start(int helloTimeoutMillis) {
        socket.handler(this::onBytes);
        socket.closeHandler(v -> onClose());
        socket.exceptionHandler(e -> LOG.fine(() -> "connection from uid " + peerUid + ": " + e.getMessage()));
        helloTimer = vertx.setTimer(helloTimeoutMillis, id -> {
            if (state == State.AWAIT_HELLO) fail(ErrorCode.PROTOCOL, "no HELLO within " + helloTimeoutMillis + " ms");
        });
    }

    private void onBytes(Buffer buffer) {
        if (state == State.CLOSED) return;
        byte[] bytes = buffer.getBytes();
        try {
            decoder.feed(bytes, 0, bytes.length);
        } catch (ProtocolException e) {
            fail(ErrorCode.PROTOCOL, e.getMessage());
        }
    }

    private void onFrame(Frame frame) {
        switch (state) {
            case AWAIT_HELLO -> onHello(frame);
            case SPAWNING, ATTACHING -> early.add(frame);
            case RUNNING -> dispatch(frame);
            case CLOSED -> { }
        }
    }

    private void onHello(Frame frame) {
        vertx.cancelTimer(helloTimer);
        Hello hello;
        try {
            hello = Hello.parse(frame);
        } catch (ProtocolException e) {
            fail(ErrorCode.PROTOCOL, e.getMessage());
            return;
        }
        decoder.maxPayload(jail.session.protocol.Protocol.MAX_PAYLOAD);
        if (hello.mode() == Hello.Mode.STATUS) {
            if (!server.isAdmin(peerUid)) {
                fail(ErrorCode.DENIED, "status is for root only (the owner, in a rootless container)");
                return;
            }
            SocketEnding.endWith(vertx, socket, Buffer.buffer(Frame.text(FrameType.STATUS, server.statusText()).encode()));
            state = State.CLOSED;
            return;
        }
        switch (hello.mode()) {
            case LIST -> {
                SocketEnding.endWith(vertx, socket, Buffer.buffer(Frame.text(FrameType.SESSIONS,
                        server.registry().listing(peerUid, server.isAdmin(peerUid), server.detachPolicy())).encode()));
                state = State.CLOSED;
                return;
            }
            case KILL, ATTACH -> {
                controlSession(hello);
                return;
            }
            default -> { }
        }
        if (!server.reserveSession()) {
            fail(ErrorCode.LIMIT, "too many sessions in this container (limit " + server.maxSessions() + ")");
            return;
        }
        state = State.SPAWNING;
        // Frames already read are kept in order; the rest waits in the kernel until RUNNING (not socket.pause():
        // Vert.x would read on into a queue of its own).
        reading(false);
        ExitHolder exitHolder = new ExitHolder();
        vertx.<SessionSpawner.Spawned>executeBlocking(() -> server.spawn(hello, exitHolder::exited), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        server.releaseSession();
                        LOG.warning("session for uid " + peerUid + " failed to start: " + ar.cause().getMessage());
                        fail(ErrorCode.SPAWN_FAILED, "cannot start session: " + ar.cause().getMessage());
                        return;
                    }
                    SessionSpawner.Spawned spawned = ar.result();
                    SessionRecord record = new SessionRecord(spawned.pid(), spawned.user(), server.uid(),
                            SessionRecord.origin(hello.env()), hello.mode().name().toLowerCase(), spawned.tty(),
                            hello.command(), java.time.Instant.now(), spawned.cgroup());
                    int id = server.registry().newId();
                    session = new SessionRelay(server.loop(), vertx, socket, context, spawned, server.allowance(),
                            io -> server.sessionFinished(io, record, id));
                    server.registry().add(new SessionRegistry.Entry(id, peerUid, record, session));
                    server.sessionStarted(record, spawned.fitted());
                    // Before the loop sees the session: a client gone at once already finds it detachable.
                    session.allowDetach(id, server.detachPolicy(), server.ringCapacity());
                    // From here on only the session's relay writes to the socket, WELCOME first.
                    server.loop().add(session);
                    session.limitTime(server.timeLimits());
                    exitHolder.attach(session);
                    if (state == State.CLOSED) { // the client left while we were spawning
                        session.clientGone(socket);
                        return;
                    }
                    running();
                });
    }

    private void running() {
        state = State.RUNNING;
        settled.run();
        reading(true); // before the early frames, which may stop reading again
        for (Frame f : early) dispatch(f);
        early.clear();
    }

    /** KILL or ATTACH of a session the peer may act on (else one line: no such session of yours). */
    private void controlSession(Hello hello) {
        boolean admin = server.isAdmin(peerUid);
        Integer wanted = hello.targetSession();
        var target = wanted != null ? server.registry().find(wanted, peerUid, admin)
                : server.registry().latestDetached(peerUid, admin);
        if (target.isEmpty()) {
            fail(ErrorCode.NO_SESSION, wanted != null ? "no session " + wanted + " of yours in this container"
                    : "no detached session of yours in this container");
            return;
        }
        SessionRegistry.Entry entry = target.get();
        if (hello.mode() == Hello.Mode.KILL) {
            LOG.info("session " + entry.record().pid() + " (id " + entry.id() + "): kill asked by uid " + peerUid);
            entry.relay().kill();
            SocketEnding.endWith(vertx, socket, Buffer.buffer(Frame.exit(false, 0).encode()));
            state = State.CLOSED;
            return;
        }
        LOG.info("session " + entry.record().pid() + " (id " + entry.id() + "): attach by uid " + peerUid);
        state = State.ATTACHING;
        reading(false); // as while spawning: what comes now waits until the session is ours
        entry.relay().attach(socket, context, hello.rows(), hello.cols(), refused -> context.runOnContext(v -> {
            if (refused != null) {
                fail(ErrorCode.NO_SESSION, refused);
                return;
            }
            session = entry.relay();
            if (state == State.CLOSED) { // the client left while we were attaching
                session.clientGone(socket);
                return;
            }
            running();
        }));
    }

    private void reading(boolean on) {
        VertxConnection.of(socket).reading(on);
    }

    private void dispatch(Frame frame) {
        switch (frame.type()) {
            case STDIN -> session.offerInput(frame.payload());
            case STDIN_EOF -> session.offerEof();
            case DETACH -> session.detachRequested(socket);
            case RESIZE -> session.resize(frame.resizeRows(), frame.resizeCols());
            case SIGNAL -> {
                int sig = frame.signalNumber();
                if (sig >= 1 && sig <= 64) session.signal(sig);
            }
            case AGENT_DATA, AGENT_ACK, AGENT_CLOSE -> {
                if (session.forwardsAgent()) session.offerAgent(frame);
                else fail(ErrorCode.PROTOCOL, "unexpected " + frame.type() + " frame from a client");
            }
            default -> fail(ErrorCode.PROTOCOL, "unexpected " + frame.type() + " frame from a client");
        }
    }

    private void fail(ErrorCode code, String message) {
        if (state == State.CLOSED) return;
        LOG.warning("connection from uid " + peerUid + " refused: " + message);
        State was = state;
        state = State.CLOSED;
        if (was == State.RUNNING) {
            session.refuse(socket, code, message); // the relay owns the socket's writes now
        } else {
            SocketEnding.endWith(vertx, socket, Buffer.buffer(Frame.error(code, message).encode()));
        }
    }

    private void onClose() {
        State was = state;
        state = State.CLOSED;
        vertx.cancelTimer(helloTimer);
        if (was == State.RUNNING && session != null) session.clientGone(socket);
    }

    /** Holds an exit status that may arrive (from the reaper) before the session object exists. */
    private static final class ExitHolder {
        private ExitStatus status;
        private SessionRelay session;

        synchronized void exited(ExitStatus s) {
            if (session != null) session.exited(s);
            else status = s;
        }

        synchronized void attach(SessionRelay s) {
            session = s;
            if (status != null) s.exited(status);
        }
    }
}

package jail.session.init;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Ends a connection without losing its last frame. Closing a unix socket while the peer's unread bytes sit in
 * our receive queue makes the peer's next read fail with ECONNRESET, possibly before it has read our final
 * EXIT or ERROR frame. So we send the frame, shut down our write side (the peer reads the frame, then EOF),
 * discard whatever the peer still sends, and close when it does, or after a grace period.
 */
final class SocketEnding {
    static final long GRACE_MILLIS = 5_000;

    private SocketEnding() {}

    static void endWith(Vertx vertx, NetSocket socket, Buffer lastFrame) {
        endWith(vertx, socket, lastFrame, GRACE_MILLIS);
    }

    /** As above, with the time the peer gets to read and close before we close anyway. */
    static void endWith(Vertx vertx, NetSocket socket, Buffer lastFrame, long graceMillis) {
        socket.handler(ignored -> { });
        socket.write(lastFrame);
        if (VertxConnection.of(socket).shutdownOutputAfterWrites()) {
            awaitPeerClose(vertx, socket, graceMillis);
        } else {
            socket.end();
        }
    }

    /**
     * The reading half of the ending, for a session whose relay writes its last frame and shuts the write side
     * down itself (it owns the socket's writes): discard what the peer sends, close when it closes or after the
     * grace period (event-loop thread).
     */
    static void afterRelayEnding(Vertx vertx, NetSocket socket) {
        socket.handler(ignored -> { });
        awaitPeerClose(vertx, socket, GRACE_MILLIS);
    }

    private static void awaitPeerClose(Vertx vertx, NetSocket socket, long graceMillis) {
        socket.resume();
        VertxConnection.of(socket).reading(true); // a session may have stopped reading its client
        long timer = vertx.setTimer(graceMillis, id -> socket.close());
        socket.closeHandler(v -> vertx.cancelTimer(timer));
    }
}

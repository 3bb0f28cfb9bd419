package jail.session.init;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * Ends a connection without losing its last frame. Closing a unix socket while the peer's unread bytes sit in
 * our receive queue makes the peer's next read fail with ECONNRESET, possibly before it has read our final
 * EXIT or ERROR frame. So we send the frame, shut down our write side (the peer reads the frame, then EOF),
 * discard whatever the peer still sends, and close when it does, or after a grace period.
 */
final class SocketEnding {
    private static final long GRACE_MILLIS = 5_000;

    private SocketEnding() {}

    static void endWith(Vertx vertx, NetSocket socket, Buffer lastFrame) {
        endWith(vertx, socket, lastFrame, GRACE_MILLIS);
    }

    /** As above, with the time the peer gets to read and close before we close anyway. */
    static void endWith(Vertx vertx, NetSocket socket, Buffer lastFrame, long graceMillis) {
        socket.handler(ignored -> { });
        socket.write(lastFrame);
        Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
        if (channel instanceof DuplexChannel duplex) {
            socket.resume();
            channel.config().setAutoRead(true); // a session may have stopped reading its client
            long timer = vertx.setTimer(graceMillis, id -> socket.close());
            socket.closeHandler(v -> vertx.cancelTimer(timer));
            // After the queued write: Netty runs this on the channel's event loop, in order.
            channel.eventLoop().execute(() -> channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                    .addListener(f -> duplex.shutdownOutput()));
        } else {
            socket.end();
        }
    }
}

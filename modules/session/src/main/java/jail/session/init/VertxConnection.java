package jail.session.init;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The one place that reaches under Vert.x's {@link NetSocket} into its internals (Netty's channel, the
 * kernel's fd, the peer's credentials): whoever needs them goes through here, so a Vert.x upgrade that moves
 * them breaks one class.
 */
final class VertxConnection {
    private final Channel channel;

    private VertxConnection(Channel channel) {
        this.channel = channel;
    }

    static VertxConnection of(NetSocket socket) {
        return new VertxConnection(((NetSocketInternal) socket).channelHandlerContext().channel());
    }

    /** Netty's channel (the door keeper works on it and on its server channel). */
    Channel channel() {
        return channel;
    }

    /**
     * Starts or stops reading: with autoRead off Netty reads nothing after the buffer in hand and the peer's
     * data waits in the kernel (not socket.pause(): Vert.x would read on into a queue of its own).
     */
    void reading(boolean on) {
        channel.config().setAutoRead(on);
    }

    /** The peer's uid from the kernel (SO_PEERCRED). */
    int peerUid() throws Exception {
        if (channel instanceof EpollDomainSocketChannel domain) return domain.peerCredentials().uid();
        throw new IllegalStateException("not a unix domain socket: " + channel.getClass().getSimpleName());
    }

    /**
     * The socket's fd, for the relay's own writes, or -1 once the channel is closed. Call it on the channel's
     * event loop (the only thread that closes it), and take a copy (see FrameWriter) before leaving it: the
     * number may name another file once Netty closed this one.
     */
    int fd() {
        if (!channel.isOpen()) return -1;
        if (channel instanceof EpollDomainSocketChannel domain) return domain.fd().intValue();
        throw new IllegalStateException("not a unix domain socket: " + channel.getClass().getSimpleName());
    }

    /** After what Netty has queued so far is written, shuts our write side down; false if it cannot (not duplex). */
    boolean shutdownOutputAfterWrites() {
        if (!(channel instanceof DuplexChannel duplex)) return false;
        // Runs on the channel's event loop after the writes queued before it, in order.
        channel.eventLoop().execute(() -> channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                .addListener(f -> duplex.shutdownOutput()));
        return true;
    }
}

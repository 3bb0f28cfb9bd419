package jail.session.init;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.util.AttributeKey;

import java.util.logging.Logger;

/**
 * Admission at the moment of accept(2), on the thread that accepts, before a connection costs the event loop
 * anything: the peer's uid (SO_PEERCRED) decides. The container's uid and root are admitted within their
 * per-uid caps; other uids get a bounded number of polite refusals (the event loop sends them an ERROR
 * frame), and the rest of a flood is closed right here. So a flood from other uids never queues work
 * in front of the owner's connection, and accepting never pauses.
 */
@ChannelHandler.Sharable
final class DoorKeeper extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(DoorKeeper.class.getName());
    /** The admission's release, attached to each connection let through (until the event loop takes it). */
    private static final AttributeKey<Runnable> RELEASE = AttributeKey.valueOf("jail.admission");

    private final int containerUid;
    private final boolean hostRootMayEnter;
    private final ConnectionAdmission admission = new ConnectionAdmission(512, 64);
    private final RateLimitedLog refusals = new RateLimitedLog(LOG);

    /** @param hostRootMayEnter false in a rootless container, where uid 0 is the container's own root */
    DoorKeeper(int containerUid, boolean hostRootMayEnter) {
        this.containerUid = containerUid;
        this.hostRootMayEnter = hostRootMayEnter;
    }

    /** Puts this keeper in front of the server channel's acceptor (idempotent). */
    void guard(Channel server) {
        if (server != null && server.pipeline().get(DoorKeeper.class) == null) {
            try {
                server.pipeline().addFirst("jail-door", this);
            } catch (IllegalArgumentException e) {
                // another connection installed it meanwhile
            }
        }
    }

    boolean allowed(int uid) {
        return uid == containerUid || uid == 0 && hostRootMayEnter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child && decide(child) == null) {
            child.unsafe().closeForcibly(); // not registered with any event loop yet: just close the fd
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The release of a connection that passed the door: taken from the acceptor's decision, or decided now
     * for a connection accepted before the keeper was in place. Null: the caller closes it.
     */
    Runnable release(Channel child) {
        Runnable r = child.attr(RELEASE).getAndSet(null);
        return r != null ? r : decide(child);
    }

    private Runnable decide(Channel child) {
        int uid;
        try {
            uid = ((EpollDomainSocketChannel) child).peerCredentials().uid();
        } catch (Exception e) {
            refusals.log("connection without peer credentials refused: " + e.getMessage());
            return null;
        }
        if (!allowed(uid)) refusals.log("refused connection from uid " + uid + ": not the container's user");
        Runnable release = allowed(uid) ? admission.admit(uid) : admission.refuse();
        if (release == null) {
            if (allowed(uid)) refusals.log("too many pending connections from uid " + uid + ": closing new ones");
            return null;
        }
        child.attr(RELEASE).set(release);
        child.closeFuture().addListener(f -> release.run());
        return release;
    }
}

package jail.session.init;

import jail.namespace.SyscallException;
import jail.namespace.io.Fds;
import jail.namespace.io.PollSet;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel table of one session's forwarded agent, on the relay loop thread: each connection accepted on the
 * session's {@link AgentSocket} becomes a channel (AGENT_OPEN with a new id), its bytes travel as AGENT_DATA
 * both ways, and either end's close is an AGENT_CLOSE. Each direction of a channel has a window of
 * {@link Protocol#AGENT_WINDOW} bytes that the receiver reopens with AGENT_ACK once it has delivered them, so a
 * slow agent or a program inside that does not read holds at most a window per channel, and never the
 * session's terminal. At most {@link Protocol#AGENT_CHANNELS} channels are open at once; further connections
 * wait in the socket's backlog.
 */
final class AgentChannels {
    /** Where the channel frames go: the session's connection to its client. */
    interface Link {
        void send(Frame frame);

        /** Whether the connection has room for another frame now (the session's output allowance). */
        boolean room();

        /** Stops watching an fd of ours that is about to be closed (the relay's epoll set holds it). */
        void unwatch(int fd);
    }

    private final AgentSocket socket;
    private final Link link;
    /** One buffer for every channel's reads: they all happen on the loop thread. */
    private final byte[] scratch = new byte[Protocol.AGENT_CHUNK];
    private final Map<Integer, Channel> channels = new HashMap<>();
    private int nextId = 1;

    AgentChannels(AgentSocket socket, Link link) {
        this.socket = socket;
        this.link = link;
    }

    /** One accepted connection inside the container. */
    private static final class Channel {
        final int id;
        int fd;
        /** Client data not yet written to the connection. */
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        int queueOffset;
        int queued;
        /** Bytes we may still send to the client before it acknowledges some. */
        int credit = Protocol.AGENT_WINDOW;
        /** The client closed its end: close ours once the queue is written. */
        boolean clientClosed;

        Channel(int id, int fd) {
            this.id = id;
            this.fd = fd;
        }
    }

    void collectWatches(List<SessionRelay.Watch> watches, SessionRelay session) {
        if (channels.size() < Protocol.AGENT_CHANNELS) {
            watches.add(new SessionRelay.Watch(session, socket.listener().fd(), PollSet.IN));
        }
        boolean room = link.room();
        for (Channel ch : channels.values()) {
            short ev = (short) ((room && ch.credit > 0 && !ch.clientClosed ? PollSet.IN : 0) | (ch.queued > 0 ? PollSet.OUT : 0));
            if (ev != 0) watches.add(new SessionRelay.Watch(session, ch.fd, ev));
        }
    }

    /** Handles a ready fd if it is one of ours; false if it is not. */
    boolean onReady(int fd, short revents) {
        if (fd == socket.listener().fd()) {
            acceptAll();
            return true;
        }
        for (Channel ch : channels.values()) {
            if (ch.fd != fd) continue;
            if ((revents & (PollSet.OUT | PollSet.ERR | PollSet.HUP)) != 0 && ch.queued > 0) write(ch);
            if (ch.fd >= 0 && (revents & (PollSet.IN | PollSet.HUP | PollSet.ERR)) != 0 && !ch.clientClosed) read(ch);
            if (ch.fd >= 0 && ch.clientClosed && ch.queued == 0) forget(ch);
            return true;
        }
        return false;
    }

    private void acceptAll() {
        while (channels.size() < Protocol.AGENT_CHANNELS) {
            int fd = socket.listener().accept();
            if (fd < 0) return;
            Channel ch = new Channel(nextId++, fd);
            channels.put(ch.id, ch);
            link.send(Frame.channel(FrameType.AGENT_OPEN, ch.id));
        }
    }

    private void read(Channel ch) {
        while (ch.credit > 0 && link.room()) {
            int n;
            try {
                n = Fds.readNonBlocking(ch.fd, scratch, Math.min(ch.credit, Protocol.AGENT_CHUNK));
            } catch (SyscallException e) {
                n = -1; // ECONNRESET: the program inside went away
            }
            if (n == 0) return;
            if (n < 0) {
                closeFromHere(ch);
                return;
            }
            ch.credit -= n;
            link.send(Frame.channelData(ch.id, scratch, 0, n));
        }
    }

    private void write(Channel ch) {
        int written = 0;
        try {
            while (!ch.queue.isEmpty()) {
                byte[] head = ch.queue.peek();
                int len = head.length - ch.queueOffset;
                int n = Fds.writeNonBlocking(ch.fd, head, ch.queueOffset, len);
                if (n == 0) break;
                written += n;
                ch.queueOffset += n;
                ch.queued -= n;
                if (ch.queueOffset == head.length) {
                    ch.queue.poll();
                    ch.queueOffset = 0;
                }
            }
        } catch (SyscallException e) {
            closeFromHere(ch); // EPIPE: the program inside closed its end
            return;
        }
        if (written > 0 && !ch.clientClosed) link.send(Frame.ack(ch.id, written));
    }

    /** An AGENT_* frame from the client. */
    void onFrame(Frame frame) {
        Channel ch = channels.get(frame.channelId());
        if (ch == null) return; // closed here while the frame was on its way
        switch (frame.type()) {
            case AGENT_DATA -> {
                int len = frame.payload().length - 4;
                if (ch.clientClosed || ch.queued + len > Protocol.AGENT_WINDOW) {
                    closeFromHere(ch); // a client over its window: this channel ends, nothing else
                    return;
                }
                if (len == 0) return;
                byte[] data = new byte[len];
                System.arraycopy(frame.payload(), 4, data, 0, len);
                ch.queue.add(data);
                ch.queued += len;
            }
            case AGENT_ACK -> {
                long credit = (long) ch.credit + Integer.toUnsignedLong(frame.ackBytes());
                if (credit > Protocol.AGENT_WINDOW) closeFromHere(ch);
                else ch.credit = (int) credit;
            }
            case AGENT_CLOSE -> {
                ch.clientClosed = true;
                if (ch.queued == 0) forget(ch);
            }
            default -> { }
        }
    }

    /** Our end is done: tell the client, and forget the channel. */
    private void closeFromHere(Channel ch) {
        if (!ch.clientClosed) link.send(Frame.channel(FrameType.AGENT_CLOSE, ch.id));
        forget(ch);
    }

    private void forget(Channel ch) {
        link.unwatch(ch.fd);
        Fds.close(ch.fd);
        ch.fd = -1;
        ch.queue.clear();
        ch.queued = 0;
        channels.remove(ch.id);
    }

    /** The session ended: every channel, the socket and its directory go. */
    void close() {
        for (Channel ch : List.copyOf(channels.values())) forget(ch);
        link.unwatch(socket.listener().fd());
        socket.close();
    }

    /** Channels open now. */
    int count() {
        return channels.size();
    }

}

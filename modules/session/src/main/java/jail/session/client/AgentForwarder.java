package jail.session.client;

import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The client's end of agent forwarding: for each AGENT_OPEN from the init it connects to our own agent, the
 * {@code SSH_AUTH_SOCK} we were started with (the frame carries only a channel id: the container can never
 * name another socket), and relays the channel both ways on a thread of its own. The frame reader only
 * queues: a slow agent holds its channel's window ({@link Protocol#AGENT_WINDOW}), never the session's
 * terminal.
 */
final class AgentForwarder {
    private final Path agent;
    private final Consumer<Frame> send;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();

    AgentForwarder(Path agent, Consumer<Frame> send) {
        this.agent = agent;
        this.send = send;
    }

    /** The agent socket of our environment, or null when we have none. */
    static Path fromEnvironment(Map<String, String> env) {
        String sock = env.get("SSH_AUTH_SOCK");
        return sock == null || sock.isEmpty() ? null : Path.of(sock);
    }

    /** An AGENT_* frame from the init, its layout checked (the frame reader's thread: never blocks). */
    void onFrame(Frame frame) {
        int id = frame.channelId();
        switch (frame.type()) {
            case AGENT_OPEN -> {
                Channel ch = new Channel(id);
                if (channels.putIfAbsent(id, ch) == null) ch.start();
            }
            case AGENT_DATA -> {
                Channel ch = channels.get(id);
                if (ch != null) ch.deliver(java.util.Arrays.copyOfRange(frame.payload(), 4, frame.payload().length));
            }
            case AGENT_ACK -> {
                Channel ch = channels.get(id);
                if (ch != null) ch.credit(frame.ackBytes());
            }
            case AGENT_CLOSE -> {
                Channel ch = channels.remove(id);
                if (ch != null) ch.closedByInit();
            }
            default -> { }
        }
    }

    private final class Channel {
        private static final byte[] END = new byte[0];
        private final int id;
        private final LinkedBlockingQueue<byte[]> toAgent = new LinkedBlockingQueue<>();
        private int queued;
        private int credit = Protocol.AGENT_WINDOW;
        private volatile SocketChannel socket;
        private volatile boolean ended;

        Channel(int id) {
            this.id = id;
        }

        void start() {
            Thread t = new Thread(this::run, "agent-" + id);
            t.setDaemon(true);
            t.start();
        }

        /** Connects, then reads our agent's answers here while another thread writes the init's requests. */
        private void run() {
            try {
                socket = SocketChannel.open(StandardProtocolFamily.UNIX);
                socket.connect(UnixDomainSocketAddress.of(agent));
            } catch (IOException e) {
                end(true);
                return;
            }
            Thread writer = new Thread(this::writeToAgent, "agent-" + id + "-in");
            writer.setDaemon(true);
            writer.start();
            ByteBuffer buf = ByteBuffer.allocate(Protocol.AGENT_CHUNK);
            try {
                while (true) {
                    int room = awaitCredit();
                    buf.clear().limit(Math.min(room, Protocol.AGENT_CHUNK));
                    int n = socket.read(buf);
                    if (n < 0) break;
                    take(n);
                    send.accept(Frame.channelData(id, buf.array(), 0, n));
                }
            } catch (IOException | InterruptedException e) {
                // the agent went away, or the init closed the channel
            }
            end(true);
        }

        private void writeToAgent() {
            try {
                while (true) {
                    byte[] data = toAgent.take();
                    if (data == END) return;
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining()) socket.write(b);
                    synchronized (this) {
                        queued -= data.length;
                    }
                    send.accept(Frame.ack(id, data.length));
                }
            } catch (IOException | InterruptedException e) {
                end(true);
            } finally {
                close();
            }
        }

        private synchronized int awaitCredit() throws InterruptedException {
            while (credit == 0 && !ended) wait();
            if (ended) throw new InterruptedException();
            return credit;
        }

        private synchronized void take(int n) {
            credit -= n;
        }

        synchronized void credit(int n) {
            if ((long) credit + n > Protocol.AGENT_WINDOW || n < 0) return; // an init's mistake: ignore it
            credit += n;
            notifyAll();
        }

        void deliver(byte[] data) {
            synchronized (this) {
                if (ended || queued + data.length > Protocol.AGENT_WINDOW) return; // over the window: dropped
                queued += data.length;
            }
            toAgent.add(data);
        }

        /** The init closed the channel: write what it sent before, then close. */
        void closedByInit() {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
            toAgent.add(END);
        }

        /** Our end is done (the agent closed, or could not be reached): tell the init unless it closed first. */
        private void end(boolean tellInit) {
            boolean was;
            synchronized (this) {
                was = ended;
                ended = true;
                notifyAll();
            }
            if (!was && tellInit && channels.remove(id, this)) send.accept(Frame.channel(FrameType.AGENT_CLOSE, id));
            toAgent.add(END);
            if (socket == null) return;
            if (!was) close();
        }

        private void close() {
            SocketChannel s = socket;
            if (s == null) return;
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}

package jail.session.init;

import jail.namespace.Namespaces;
import jail.namespace.ThrowawayThread;
import jail.namespace.io.Fds;
import jail.namespace.io.PollSet;
import jail.namespace.io.UnixSocket;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jail.namespace.jna.Constants.CLONE_FS;
import static org.junit.jupiter.api.Assertions.*;

/** The agent channel table on its own: real sockets, the frames it would send recorded instead. */
class AgentChannelsTest {
    @TempDir
    Path tmp;

    private final List<Frame> sent = new ArrayList<>();
    private AgentSocket socket;
    private AgentChannels channels;
    private final List<Integer> clients = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        int uid = (int) new com.sun.security.auth.module.UnixSystem().getUid();
        int gid = (int) new com.sun.security.auth.module.UnixSystem().getGid();
        // On a thread with its own working directory and umask, as the init's spawner threads have (the socket's
        // bind moves them): the rest of this JVM's tests keep theirs.
        socket = ThrowawayThread.run("spawner", () -> {
            Namespaces.unshare(CLONE_FS);
            return AgentSocket.open(tmp.toString(), uid, gid);
        });
        assertNotNull(socket);
        channels = new AgentChannels(socket, new AgentChannels.Link() {
            @Override
            public void send(Frame frame) {
                sent.add(frame);
            }

            @Override
            public boolean room() {
                return true;
            }

            @Override
            public void unwatch(int fd) {
            }
        });
    }

    @AfterEach
    void close() {
        channels.close();
        clients.forEach(Fds::close);
    }

    private List<SessionRelay.Watch> watches() {
        List<SessionRelay.Watch> w = new ArrayList<>();
        channels.collectWatches(w, null);
        return w;
    }

    /** A program inside connects; the init accepts it as channel 1. */
    private int connectOne() {
        int fd = UnixSocket.connect(socket.path());
        clients.add(fd);
        assertTrue(channels.onReady(socket.listener().fd(), PollSet.IN));
        return fd;
    }

    private int channelFd() {
        return watches().stream().mapToInt(SessionRelay.Watch::fd).filter(fd -> fd != socket.listener().fd())
                .findFirst().orElseThrow();
    }

    private int dataBytes() {
        return sent.stream().filter(f -> f.type() == FrameType.AGENT_DATA).mapToInt(f -> f.payload().length - 4).sum();
    }

    @Test
    void aConnectionIsAChannelAndItsBytesStopAtTheWindow() {
        int client = connectOne();
        assertEquals(FrameType.AGENT_OPEN, sent.get(0).type());
        int id = sent.get(0).channelId();
        UnixSocket.writeFully(client, new byte[100_000], 0, 100_000);
        int fd = channelFd();
        for (int i = 0; i < 20; i++) channels.onReady(fd, PollSet.IN);
        assertEquals(Protocol.AGENT_WINDOW, dataBytes(), "no more than a window before an acknowledgement");
        assertTrue(sent.stream().filter(f -> f.type() == FrameType.AGENT_DATA)
                .allMatch(f -> f.channelId() == id && f.payload().length - 4 <= Protocol.AGENT_CHUNK));
        assertTrue(watches().stream().noneMatch(w -> w.fd() == fd), "a channel without credit is not read");
        channels.onFrame(Frame.ack(id, 10_000));
        for (int i = 0; i < 5; i++) channels.onReady(fd, PollSet.IN);
        assertEquals(Protocol.AGENT_WINDOW + 10_000, dataBytes());
    }

    @Test
    void clientDataIsWrittenToTheProgramAndAcknowledged() {
        int client = connectOne();
        int id = sent.get(0).channelId();
        channels.onFrame(Frame.channelData(id, "answer".getBytes(), 0, 6));
        int fd = channelFd();
        assertTrue(watches().stream().anyMatch(w -> w.fd() == fd && (w.events() & PollSet.OUT) != 0));
        channels.onReady(fd, PollSet.OUT);
        byte[] buf = new byte[16];
        assertEquals(6, Fds.readNonBlocking(client, buf, 16));
        assertEquals("answer", new String(buf, 0, 6));
        Frame ack = sent.get(sent.size() - 1);
        assertEquals(FrameType.AGENT_ACK, ack.type());
        assertEquals(6, ack.ackBytes());
    }

    @Test
    void aClientOverItsWindowLosesThatChannelOnly() {
        connectOne();
        int id = sent.get(0).channelId();
        byte[] chunk = new byte[Protocol.AGENT_CHUNK];
        for (int i = 0; i < Protocol.AGENT_WINDOW / Protocol.AGENT_CHUNK; i++) {
            channels.onFrame(Frame.channelData(id, chunk, 0, chunk.length));
        }
        assertEquals(1, channels.count());
        channels.onFrame(Frame.channelData(id, chunk, 0, 1));
        assertEquals(0, channels.count());
        assertEquals(FrameType.AGENT_CLOSE, sent.get(sent.size() - 1).type());
    }

    @Test
    void theProgramClosingSendsCloseAndTheClientsCloseEndsTheChannel() {
        int a = connectOne();
        int idA = sent.get(0).channelId();
        Fds.close(a);
        clients.remove((Integer) a);
        channels.onReady(channelFd(), PollSet.IN);
        assertEquals(Frame.channel(FrameType.AGENT_CLOSE, idA).type(), sent.get(sent.size() - 1).type());
        assertEquals(0, channels.count());
        connectOne();
        int idB = sent.get(sent.size() - 1).channelId();
        assertNotEquals(idA, idB, "ids are never reused");
        channels.onFrame(Frame.channel(FrameType.AGENT_CLOSE, idB));
        assertEquals(0, channels.count());
        channels.onFrame(Frame.channelData(idB, new byte[3], 0, 3)); // late: ignored
    }

    @Test
    void atMostAFewChannelsAreOpenAtOnce() {
        for (int i = 0; i < Protocol.AGENT_CHANNELS; i++) connectOne();
        assertEquals(Protocol.AGENT_CHANNELS, channels.count());
        assertTrue(watches().stream().noneMatch(w -> w.fd() == socket.listener().fd()), "the socket is not watched when full");
        int waiting = UnixSocket.connect(socket.path()); // waits in the backlog
        clients.add(waiting);
        channels.onReady(socket.listener().fd(), PollSet.IN);
        assertEquals(Protocol.AGENT_CHANNELS, channels.count());
    }

    @Test
    void closingRemovesTheSocketAndItsDirectory() {
        connectOne();
        Path dir = Path.of(socket.path()).getParent();
        assertTrue(Files.exists(Path.of(socket.path())));
        channels.close();
        assertFalse(Files.exists(dir));
    }
}

package jail.cli.client;

import jail.namespace.NativeFd;
import jail.namespace.SignalInbox;
import jail.pty.PtyPair;
import jail.pty.TerminalMode;
import jail.pty.WindowSize;
import jail.session.container.StateDirectory;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameDecoder;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static jail.namespace.jna.Constants.*;

/**
 * The training run for jail's AOT cache (JDK 25, -XX:AOTCacheOutput), made at build time: a real client
 * session over a real unix socket against a stand-in init in this process, so the cache holds the classes
 * and linkage of the hot path. What a terminal or an open stdin adds (JNA, termios and the window size on a
 * pty of our own, a signalfd) runs too, short of raw mode on our own stdin. Prints nothing.
 */
final class ClientAotTraining {
    private ClientAotTraining() {}

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("jail-aot");
        Path socket = dir.resolve("train.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread init = new Thread(() -> standInInit(server), "stand-in-init");
            init.setDaemon(true);
            init.start();
            Caller.realUid();
            Caller.stdinIsTerminal();
            StateDirectory.fromSystem().socket(0);
            terminalAndSignals();
            return JailMain.enter(JailArguments.parse(new String[]{"-c", "true"}), socket, false);
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    /** The native side of a terminal session and of an open stdin, on a pty opened for the purpose. */
    private static void terminalAndSignals() throws ClassNotFoundException {
        try (PtyPair pty = PtyPair.open("/dev/pts")) {
            int slave = NativeFd.open(pty.slavePath(), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
            try {
                TerminalMode raw = TerminalMode.makeRaw(slave);
                WindowSize.of(slave);
                raw.restore();
            } finally {
                NativeFd.close(slave);
            }
        } catch (RuntimeException noPtys) {
            // a build machine without /dev/pts: the cache just lacks these classes
        }
        SignalInbox.open(SIGWINCH).close(); // not blocked here: the signalfd never fires, it is only made
        Class.forName("jail.namespace.ImmediateExit", false, ClientAotTraining.class.getClassLoader());
    }

    private static void standInInit(ServerSocketChannel server) {
        try (SocketChannel client = server.accept()) {
            boolean[] hello = {false};
            FrameDecoder decoder = new FrameDecoder(f -> hello[0] |= f.type() == FrameType.HELLO);
            ByteBuffer buf = ByteBuffer.allocate(Protocol.MAX_PAYLOAD);
            while (!hello[0]) {
                buf.clear();
                if (client.read(buf) < 0) return;
                decoder.feed(buf.array(), 0, buf.position());
            }
            for (Frame f : new Frame[]{Frame.welcome(Protocol.VERSION), Frame.data(FrameType.STDOUT, new byte[0], 0, 0),
                    Frame.data(FrameType.STDERR, new byte[0], 0, 0), Frame.exit(false, 0)}) {
                client.write(ByteBuffer.wrap(f.encode()));
            }
        } catch (Exception e) {
            // the client reports a broken session by its exit status
        }
    }
}

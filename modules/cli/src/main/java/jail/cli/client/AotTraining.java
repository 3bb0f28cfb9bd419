package jail.cli.client;

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

/**
 * The training run for jail's AOT cache (JDK 25, -XX:AOTCacheOutput), made at build time: a real client
 * session over a real unix socket against a stand-in init in this process, so the cache holds the classes
 * and linkage of the hot path. Terminal-only classes are loaded too. Prints nothing.
 */
final class AotTraining {
    private AotTraining() {}

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("jail-aot");
        Path socket = dir.resolve("train.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread init = new Thread(() -> standInInit(server), "stand-in-init");
            init.setDaemon(true);
            init.start();
            for (String name : new String[]{"jail.pty.TerminalMode", "jail.pty.WindowSize"}) {
                Class.forName(name, false, AotTraining.class.getClassLoader());
            }
            return JailMain.enter(JailArguments.parse(new String[]{"-c", "true"}), socket, false);
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
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

package jail.session.client;

import com.sun.jna.LastErrorException;
import jail.namespace.jna.Constants;
import jail.namespace.jna.LibC;
import jail.namespace.ImmediateExit;
import jail.namespace.SignalInbox;
import jail.pty.TerminalMode;
import jail.pty.WindowSize;
import jail.session.protocol.ErrorCode;
import jail.session.protocol.ContainerStatus;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameDecoder;
import jail.session.protocol.FrameScanner;
import jail.session.protocol.FrameType;
import jail.session.protocol.Hello;
import jail.session.protocol.Protocol;
import jail.session.protocol.StatusFormatException;
import jail.session.protocol.ProtocolException;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jail.namespace.jna.Constants.SIGHUP;
import static jail.namespace.jna.Constants.SIGINT;
import static jail.namespace.jna.Constants.SIGQUIT;
import static jail.namespace.jna.Constants.SIGTERM;
import static jail.namespace.jna.Constants.SIGWINCH;

/**
 * The client end of a session: connects to a container's socket, sends HELLO, and relays the local
 * terminal or stdin/stdout/stderr until the EXIT frame, whose status becomes ours. Plain JDK sockets and
 * threads, no framework: this runs on every login, so it must start fast.
 *
 * <p>In terminal mode the local terminal is raw while the session runs (Ctrl-C travels as a byte to the
 * remote pty) and restored on every way out, including signals. Window changes are forwarded on SIGWINCH.
 */
public final class SessionClient {
    /** Exit statuses of the client itself, as ssh uses 255 for its own failures. */
    public static final int EXIT_REFUSED = 1;
    public static final int EXIT_CONNECTION_LOST = 255;
    /** Our output lost its reader: we end as a process killed by SIGPIPE would be reported (128 + 13). */
    public static final int EXIT_OUTPUT_GONE = 128 + 13;
    /** Pipes mode: sessions still running this long after they started and their stdin ended get their stdout
     *  and stderr watched (see OutputWatch). */
    static final long OUTPUT_WATCH_DELAY_MILLIS = 1000;

    private final SocketChannel channel;
    private final Object writeLock = new Object();
    private volatile TerminalMode terminalMode;
    private final long startNanos = System.nanoTime();
    private boolean pipesMode;
    /** Terminal mode: the window size the session last heard of (HELLO, then RESIZE frames). */
    private WindowSize sentSize;
    /** Terminal mode: the typed sequence that detaches (see {@link DetachKey}). */
    private DetachKey detachKey = DetachKey.of(null);
    /** The init's protocol version, from WELCOME: DETACH needs 2. */
    private volatile int initVersion;

    private SessionClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** A failure to reach the container, with the one line to show the user. */
    public static final class ConnectFailure extends Exception {
        public ConnectFailure(String message) {
            super(message);
        }
    }

    public static SessionClient connect(Path socket, int uid) throws ConnectFailure {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new SessionClient(ch);
        } catch (NoSuchFileException | ConnectException e) {
            if (!Files.exists(socket)) throw new ConnectFailure("no container is running for uid " + uid);
            throw new ConnectFailure("the container for uid " + uid + " is not running (stale socket " + socket + ")");
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!Files.exists(socket)) throw new ConnectFailure("no container is running for uid " + uid);
            throw new ConnectFailure("cannot connect to the container for uid " + uid + ": " + m);
        }
    }

    /** The escape sequence that detaches this terminal session. */
    public SessionClient detachKey(DetachKey key) {
        detachKey = key;
        return this;
    }

    /** Runs a session (a new one, or ATTACH to a detached one) to its end and returns the exit status for our process. */
    public int run(Hello hello) throws IOException {
        boolean terminal = hello.mode() == Hello.Mode.TERMINAL || hello.mode() == Hello.Mode.ATTACH;
        if (terminal) {
            terminalMode = TerminalMode.makeRaw(0);
            sentSize = new WindowSize(hello.rows(), hello.cols());
            Runtime.getRuntime().addShutdownHook(new Thread(this::restoreTerminal, "restore-terminal"));
        }
        // With a stdin that stays open (a terminal, sshd's pipe, a pipeline) our exit will need _exit (see
        // ImmediateExit), hence native code: load it now, in parallel, rather than at the end.
        boolean stdinStaysOpen = terminal || !stdinIsFinite();
        startSignalWatch(terminal || stdinStaysOpen);
        send(hello.toFrame());
        startAnswerDeadline();
        pipesMode = !terminal;
        Thread input = new Thread(this::pumpStdin, "stdin");
        input.setDaemon(true);
        input.start();
        int status;
        try {
            status = readUntilExit();
        } finally {
            restoreTerminal();
        }
        stdinStillOpen = input.isAlive();
        return status;
    }

    private volatile boolean stdinStillOpen;

    /**
     * Ends the process with the session's status. If our stdin thread still sits in read(2), the JVM's own exit
     * would wait 300 ms for it (see {@link ImmediateExit}), so we leave at once instead.
     */
    public void exit(int status) {
        if (stdinStillOpen) ImmediateExit.now(status);
        System.exit(status);
    }

    /** Whether stdin will end by itself soon: /dev/null or a regular file (not a pipe, socket or terminal). */
    private static boolean stdinIsFinite() {
        try {
            Path in = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            return in.toString().equals("/dev/null") || Files.isRegularFile(in);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** Asks an init for its status (root only); an answer this side cannot read is a StatusFormatException. */
    public ContainerStatus status() throws IOException, ConnectFailure, StatusFormatException {
        Hello hello = new Hello(Hello.versionFor(Hello.Mode.STATUS), Hello.Mode.STATUS, false, 0, 0, null, "", List.of());
        return ContainerStatus.fromJson(request(hello, FrameType.STATUS).text());
    }

    /**
     * Sends a request that gets one answer (STATUS, LIST, KILL) and returns the answer, a frame of type
     * {@code answer} (or EXIT); an ERROR becomes a ConnectFailure with its message.
     */
    public Frame request(Hello hello, FrameType answer) throws IOException, ConnectFailure {
        send(hello.toFrame());
        List<Frame> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(frames::add);
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (true) {
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) throw new ConnectFailure("the init closed the connection without an answer");
            feed(decoder, buf.array(), n);
            for (Frame f : frames) {
                if (f.type() == answer || f.type() == FrameType.EXIT) return f;
                if (f.type() == FrameType.ERROR) throw new ConnectFailure(f.errorMessage());
            }
            frames.clear();
        }
    }

    private int readUntilExit() throws IOException {
        // Payloads go from a direct socket buffer to our output channels without being copied on the way.
        FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
        FileChannel err = new FileOutputStream(FileDescriptor.err).getChannel();
        int[] result = {Integer.MIN_VALUE};
        String[] error = {null};
        FrameScanner.Handler handler = (type, payload) -> {
            answered = true;
            switch (type) {
                case STDOUT -> write(out, payload);
                case STDERR -> write(err, payload);
                case WELCOME -> initVersion = payload.remaining() >= 2 ? Short.toUnsignedInt(payload.getShort(payload.position())) : 0;
                case DETACHED -> {
                    int id = payload.remaining() >= 4 ? payload.getInt(payload.position()) : 0;
                    error[0] = "detached from session " + id + " (jail attach " + id + " to return)";
                    result[0] = 0;
                }
                case EXIT, ERROR -> {
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    Frame f = new Frame(type, bytes);
                    f.checkLayout();
                    if (type == FrameType.EXIT) {
                        result[0] = f.exitSignaled() ? 128 + f.exitValue() : f.exitValue();
                    } else {
                        error[0] = f.errorMessage();
                        result[0] = f.errorCode() == ErrorCode.INTERNAL ? EXIT_CONNECTION_LOST : EXIT_REFUSED;
                    }
                }
                default -> { }
            }
        };
        ByteBuffer buf = ByteBuffer.allocateDirect(2 * (Protocol.MAX_PAYLOAD + Protocol.HEADER_SIZE));
        while (result[0] == Integer.MIN_VALUE) {
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                restoreTerminal();
                System.err.println("jail: connection to the container closed");
                return EXIT_CONNECTION_LOST;
            }
            buf.flip();
            try {
                FrameScanner.scan(buf, handler);
            } catch (ProtocolException e) {
                restoreTerminal();
                System.err.println("jail: protocol error from the container: " + e.getMessage());
                return EXIT_CONNECTION_LOST;
            }
            buf.compact();
        }
        if (error[0] != null) {
            restoreTerminal();
            System.err.println("jail: " + error[0]);
        }
        return result[0];
    }

    /** Writes all of a payload to our stdout or stderr. */
    private void write(FileChannel target, ByteBuffer payload) {
        try {
            while (payload.hasRemaining()) target.write(payload);
        } catch (IOException e) {
            // EPIPE: nobody will ever read this stream again. A writer on a normal host dies of SIGPIPE here;
            // we end the same way, and the init hangs the session up.
            if ("Broken pipe".equals(e.getMessage())) outputGone();
            // Anything else (e.g. a closed fd): drop the output and keep draining, as a shell would.
        }
    }


    private static void feed(FrameDecoder decoder, byte[] bytes, int n) throws ConnectFailure {
        try {
            decoder.feed(bytes, 0, n);
        } catch (ProtocolException e) {
            throw new ConnectFailure("protocol error from the container: " + e.getMessage());
        }
    }

    /** How long the init may take to answer HELLO (WELCOME or ERROR) before we give up on it. */
    private static final long ANSWER_TIMEOUT_MILLIS = 30_000;
    private volatile boolean answered;

    /** A stuck or flooded init must not leave a login hanging forever. */
    private void startAnswerDeadline() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(ANSWER_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!answered) {
                restoreTerminal();
                System.err.println("jail: the container did not answer within " + ANSWER_TIMEOUT_MILLIS / 1000 + " s");
                Runtime.getRuntime().halt(EXIT_CONNECTION_LOST);
            }
        }, "answer-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void pumpStdin() {
        InputStream in = new FileInputStream(FileDescriptor.in);
        byte[] buf = new byte[Protocol.DATA_CHUNK];
        try {
            int n;
            DetachKey key = terminalMode != null ? detachKey : DetachKey.OFF;
            while ((n = in.read(buf)) >= 0) {
                if (n <= 0) continue;
                // A resize that happened before these keys were typed must reach the session before them
                // (`stty size` right after a resize): SIGWINCH is handled on another thread and may be late.
                if (sentSize != null) sendResize();
                DetachKey.Typed typed = key.filter(buf, n);
                if (typed.bytes().length > 0) send(new Frame(FrameType.STDIN, typed.bytes()));
                if (typed.detach()) askToDetach();
            }
        } catch (IOException e) {
            // stdin closed under us: same as EOF
        }
        send(Frame.of(FrameType.STDIN_EOF));
        if (pipesMode) OutputWatch.start(this);
    }

    /**
     * Our signals, read on a thread of their own from a signalfd (bin/jail starts the JVM with them blocked and
     * with -Xrs; see {@link SignalInbox}): WINCH sends the new window size; INT and QUIT are forwarded to the
     * remote command (from a keyboard they arrive as bytes, in raw mode); TERM and HUP end us, which hangs the
     * session up. In pipes mode the thread starts a moment late, so that short commands (most ssh commands,
     * scp's) never pay for loading native code; a signal that comes early just waits, blocked, until then.
     */
    private static final long SIGNAL_WATCH_DELAY_MILLIS = 200;

    private void startSignalWatch(boolean now) {
        boolean terminal = terminalMode != null;
        Thread watch = new Thread(() -> {
            SignalInbox inbox;
            try {
                if (!now) Thread.sleep(SIGNAL_WATCH_DELAY_MILLIS);
                inbox = SignalInbox.open(SIGWINCH, SIGINT, SIGQUIT, SIGTERM, SIGHUP);
            } catch (InterruptedException | RuntimeException | LinkageError e) {
                return; // not started by bin/jail (signals not blocked): the JVM's defaults apply
            }
            while (true) {
                int signal = inbox.take();
                switch (signal) {
                    case SIGWINCH -> {
                        if (terminal) sendResize();
                    }
                    case SIGINT, SIGQUIT -> send(Frame.signal(signal));
                    default -> {
                        restoreTerminal();
                        Runtime.getRuntime().halt(128 + signal);
                    }
                }
            }
        }, "signals");
        watch.setDaemon(true);
        watch.start();
    }

    /** DETACH, if the init knows it: an older one would end the session for an unknown frame. */
    private void askToDetach() {
        if (initVersion >= 2) {
            send(Frame.of(FrameType.DETACH));
            return;
        }
        try {
            new FileOutputStream(FileDescriptor.out).write(("\r\njail: this container's init cannot detach sessions"
                    + " (it is older than this jail; restart the container)\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            // our terminal is gone: nothing to tell
        }
    }

    /** Sends the terminal's size if it differs from what the session last heard (SIGWINCH, or before input). */
    private void sendResize() {
        WindowSize size = WindowSize.of(0);
        if (size == null) return;
        synchronized (writeLock) {
            if (size.equals(sentSize)) return;
            sentSize = size;
            send(Frame.resize(size.rows(), size.cols()));
        }
    }

    /** Ends the client at once: the socket closes with the process, and the init hangs the session up. */
    private void outputGone() {
        restoreTerminal();
        Runtime.getRuntime().halt(EXIT_OUTPUT_GONE);
    }

    /**
     * Pipes mode: notices when stdout or stderr loses its reader while the remote command writes nothing. When
     * an ssh connection drops, sshd closes its ends of our pipes (stdin ends too) and sends no signal (it sends
     * one only for a pty); {@code jail -c CMD | head} loses its reader when head is done. On a normal host the
     * command would die of SIGPIPE at its next write, or run on unnoticed if it never writes; through jail it is
     * hung up (SIGHUP to its process group), so nothing stays behind but what was detached on purpose (setsid,
     * nohup). A reader that goes away is otherwise caught at our next write (EPIPE).
     *
     * <p>poll(2) needs native code, which the pipes path otherwise avoids (start-up time, and JNA adds about
     * 10 MB to the client): the watch starts only once stdin has ended and the session has lived
     * {@link #OUTPUT_WATCH_DELAY_MILLIS}, on its own daemon thread. Short commands and sessions that keep stdin
     * open (scp, sftp, rsync, an ssh command reading the user's terminal) never load it; a dropped connection
     * always ends stdin.
     */
    private static final class OutputWatch {
        static void start(SessionClient client) {
            Thread watch = new Thread(() -> {
                try {
                    long lived = (System.nanoTime() - client.startNanos) / 1_000_000;
                    if (lived < OUTPUT_WATCH_DELAY_MILLIS) Thread.sleep(OUTPUT_WATCH_DELAY_MILLIS - lived);
                    run(client);
                } catch (InterruptedException | RuntimeException | LinkageError e) {
                    // No watch: a lost reader is still noticed at the next write.
                }
            }, "output-watch");
            watch.setDaemon(true);
            watch.start();
        }

        private static void run(SessionClient client) {
            LibC.PollFd[] fds = (LibC.PollFd[]) new LibC.PollFd().toArray(2);
            fds[0].fd = 1;
            fds[1].fd = 2;
            while (fds[0].fd >= 0 || fds[1].fd >= 0) {
                for (LibC.PollFd f : fds) {
                    f.events = 0; // POLLERR (pipe without reader) and POLLHUP (socket, tty) are always reported
                    f.revents = 0;
                }
                try {
                    LibC.INSTANCE.poll(fds, fds.length, -1);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Constants.EINTR) continue;
                    return;
                }
                for (LibC.PollFd f : fds) {
                    if ((f.revents & Constants.POLLNVAL) != 0) f.fd = -1; // not open: nothing to watch
                    else if ((f.revents & (Constants.POLLERR | Constants.POLLHUP)) != 0) client.outputGone();
                }
            }
        }
    }

    private void send(Frame frame) {
        ByteBuffer b = ByteBuffer.wrap(frame.encode());
        synchronized (writeLock) {
            try {
                while (b.hasRemaining()) channel.write(b);
            } catch (IOException e) {
                // The container side closed; the reader reports how the session ended.
            }
        }
    }

    private void restoreTerminal() {
        TerminalMode mode = terminalMode;
        if (mode != null) mode.restore();
    }
}

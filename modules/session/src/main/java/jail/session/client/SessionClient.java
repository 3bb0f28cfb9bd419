package jail.session.client;

import jail.namespace.ImmediateExit;
import jail.namespace.SignalInbox;
import jail.namespace.SyscallException;
import jail.namespace.io.NativeBuffer;
import jail.namespace.io.PollSet;
import jail.namespace.io.UnixSocket;
import jail.pty.TerminalMode;
import jail.pty.WindowSize;
import jail.session.protocol.ErrorCode;
import jail.session.protocol.ContainerStatus;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameDecoder;
import jail.session.protocol.FrameHeader;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jail.namespace.jna.Constants.ECONNREFUSED;
import static jail.namespace.jna.Constants.ENOENT;
import static jail.namespace.jna.Constants.SIGHUP;
import static jail.namespace.jna.Constants.SIGINT;
import static jail.namespace.jna.Constants.SIGQUIT;
import static jail.namespace.jna.Constants.SIGTERM;
import static jail.namespace.jna.Constants.SIGWINCH;

/**
 * The client end of a session: connects to a container's socket, sends HELLO, and relays the local
 * terminal or stdin/stdout/stderr until the EXIT frame, whose status becomes ours. Plain threads and the kernel
 * layer's fds, no framework: this runs on every login, so it must start fast. Output payloads go from the
 * socket to stdout or stderr by splice(2) ({@link OutputTarget}).
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

    /** The connected socket (blocking): read by the main thread, written by whoever holds writeLock. */
    private final int socket;
    private final Object writeLock = new Object();
    private volatile TerminalMode terminalMode;
    private final long startNanos = System.nanoTime();
    private boolean pipesMode;
    /** Relays the channels of our forwarded agent; null without one. */
    private AgentForwarder agent;
    /** Terminal mode: the window size the session last heard of (HELLO, then RESIZE frames). */
    private WindowSize sentSize;
    /** Terminal mode: the typed sequence that detaches (see {@link DetachKey}). */
    private DetachKey detachKey = DetachKey.of(null);
    /** The init's protocol version, from WELCOME: DETACH needs 2. */
    private volatile int initVersion;

    private SessionClient(int socket) {
        this.socket = socket;
    }

    /** A failure to reach the container, with the one line to show the user. */
    public static final class ConnectFailure extends Exception {
        public ConnectFailure(String message) {
            super(message);
        }
    }

    public static SessionClient connect(Path socket, int uid) throws ConnectFailure {
        try {
            return new SessionClient(UnixSocket.connect(socket.toString()));
        } catch (SyscallException e) {
            if (!Files.exists(socket)) throw new ConnectFailure("no container is running for uid " + uid);
            if (e.errno() == ENOENT || e.errno() == ECONNREFUSED) {
                throw new ConnectFailure("the container for uid " + uid + " is not running (stale socket " + socket + ")");
            }
            throw new ConnectFailure("cannot connect to the container for uid " + uid + ": " + e.getMessage());
        }
    }

    /**
     * Offers our ssh agent to the session: the HELLO says so, and the init's AGENT_OPEN frames are answered by
     * connecting to {@code agentSocket} (SSH_AUTH_SOCK), never to anything the init names.
     */
    public Hello offerAgent(Hello hello, Path agentSocket) {
        if (agentSocket == null) return hello;
        agent = new AgentForwarder(agentSocket, this::send);
        return hello.withAgent();
    }

    /** The agent socket of an environment (SSH_AUTH_SOCK), or null. */
    public static Path agentSocket(java.util.Map<String, String> env) {
        return AgentForwarder.fromEnvironment(env);
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
        return status;
    }

    /**
     * Ends the process with the session's status, at once: the JVM's own exit would wait 300 ms for a stdin
     * thread still in read(2) (see {@link ImmediateExit}) and, every time, start its logging back end to log
     * the exit; nothing of ours is left to run (the terminal is restored, output written).
     */
    public void exit(int status) {
        ImmediateExit.now(status);
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
        NativeBuffer buf = new NativeBuffer(8192);
        while (true) {
            int n;
            try {
                n = buf.read(socket, 0, buf.size());
            } catch (SyscallException e) {
                n = -1;
            }
            if (n < 0) throw new ConnectFailure("the init closed the connection without an answer");
            feed(decoder, buf.get(0, n), n);
            for (Frame f : frames) {
                if (f.type() == answer || f.type() == FrameType.EXIT) return f;
                if (f.type() == FrameType.ERROR) throw new ConnectFailure(f.errorMessage());
            }
            frames.clear();
        }
    }

    private int readUntilExit() {
        OutputTarget out = new OutputTarget(1, this::outputGone);
        OutputTarget err = new OutputTarget(2, this::outputGone);
        NativeBuffer header = new NativeBuffer(Protocol.HEADER_SIZE);
        NativeBuffer payload = null;
        while (true) {
            Frame frame;
            try {
                if (!UnixSocket.readFully(socket, header, Protocol.HEADER_SIZE)) return connectionClosed();
                FrameHeader h = FrameHeader.parse(header.get(0, Protocol.HEADER_SIZE), Protocol.MAX_PAYLOAD);
                FrameType type = h.type();
                int length = h.length();
                answered = true;
                if (type == FrameType.STDOUT || type == FrameType.STDERR) {
                    // Payloads go from the socket to our output without passing through this process.
                    (type == FrameType.STDOUT ? out : err).copy(socket, length);
                    continue;
                }
                if (payload == null) payload = new NativeBuffer(Protocol.MAX_PAYLOAD);
                if (!UnixSocket.readFully(socket, payload, length)) return connectionClosed();
                frame = new Frame(type, payload.get(0, length));
                frame.checkLayout();
            } catch (SyscallException e) {
                return connectionClosed();
            } catch (ProtocolException e) {
                restoreTerminal();
                System.err.println("jail: protocol error from the container: " + e.getMessage());
                return EXIT_CONNECTION_LOST;
            }
            if (frame.type() == FrameType.WELCOME) initVersion = frame.welcomeVersion();
            if (frame.type() == FrameType.DETACHED) {
                restoreTerminal();
                int id = frame.detachedSession();
                System.err.println("jail: detached from session " + id + " (jail attach " + id + " to return)");
                return 0;
            }
            if (frame.type() == FrameType.EXIT) {
                return frame.exitSignaled() ? 128 + frame.exitValue() : frame.exitValue();
            }
            if (frame.type() == FrameType.ERROR) {
                restoreTerminal();
                System.err.println("jail: " + frame.errorMessage());
                return frame.errorCode() == ErrorCode.INTERNAL ? EXIT_CONNECTION_LOST : EXIT_REFUSED;
            }            switch (frame.type()) {
                case AGENT_OPEN, AGENT_DATA, AGENT_ACK, AGENT_CLOSE -> {
                    if (agent != null) agent.onFrame(frame);
                }
                default -> { }
            }
        }
    }

    private int connectionClosed() {
        restoreTerminal();
        System.err.println("jail: connection to the container closed");
        return EXIT_CONNECTION_LOST;
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
     * <p>The watch starts only once stdin has ended and the session has lived {@link #OUTPUT_WATCH_DELAY_MILLIS},
     * on its own daemon thread: short commands never pay for the thread, and sessions that keep stdin open (scp,
     * sftp, rsync, an ssh command reading the user's terminal) do not need it, since a dropped connection always
     * ends stdin.
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
            PollSet outputs = new PollSet();
            // No events asked: POLLERR (pipe without reader) and POLLHUP (socket, tty) are always reported.
            outputs.add(1, (short) 0);
            outputs.add(2, (short) 0);
            int watched = 2;
            while (watched > 0) {
                try {
                    if (!outputs.poll(-1)) continue; // EINTR
                } catch (SyscallException e) {
                    return;
                }
                for (int i = 0; i < 2; i++) {
                    short revents = outputs.revents(i);
                    if ((revents & PollSet.NVAL) != 0) { // not open: nothing to watch
                        outputs.disable(i);
                        watched--;
                    } else if ((revents & (PollSet.ERR | PollSet.HUP)) != 0) {
                        client.outputGone();
                    }
                }
            }
        }
    }

    private void send(Frame frame) {
        byte[] bytes = frame.encode();
        synchronized (writeLock) {
            try {
                UnixSocket.writeFully(socket, bytes, 0, bytes.length);
            } catch (SyscallException e) {
                // The container side closed; the reader reports how the session ended.
            }
        }
    }

    private void restoreTerminal() {
        TerminalMode mode = terminalMode;
        if (mode != null) mode.restore();
    }
}

package jail.session.init;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import jail.namespace.ExitStatus;
import jail.namespace.Processes;
import jail.namespace.SyscallException;
import jail.namespace.io.NativeBuffer;
import jail.namespace.io.Pipes;
import jail.namespace.io.PollSet;
import jail.pty.WindowSize;
import jail.session.protocol.ErrorCode;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static jail.namespace.jna.Constants.SIGCONT;
import static jail.namespace.jna.Constants.SIGHUP;

/**
 * The relay of one session: client socket on one side, the pty master (terminal mode) or the stdin/stdout/
 * stderr pipes (pipes mode) on the other. Its fd work runs on the {@link RelayLoop} thread; the Vert.x event
 * loop and the reaper only post tasks to it. Vert.x reads the client's frames; every byte to the client after
 * HELLO is written by this session's {@link FrameWriter} on the relay thread. Both directions are
 * flow-controlled: the socket is not read while too much input waits for the session (within the session's
 * {@link RelayAllowance}), and the session's output is not read while a frame to the client is still open:
 * what the client has not taken waits in the session's own pipe or pty. Nothing is dropped.
 *
 * <p>The end follows sshd: when the shell exits, the rest of its output is read (terminal) or read to EOF
 * (pipes), the exit status is sent, and the socket is closed; when the client goes away first, the session
 * is hung up (the master is closed, so the kernel sends SIGHUP; pipes: SIGHUP to its process group), unless it
 * is a terminal session in a container that keeps detached sessions: then it is {@link DetachedState detached}
 * (its output goes to a bounded ring instead of a writer) until a client attaches again, with a writer of its
 * own, or its grace ends.
 */
final class SessionRelay {
    private static final Logger LOG = Logger.getLogger(SessionRelay.class.getName());

    record Watch(SessionRelay session, int fd, short events) {}

    private final RelayLoop loop;
    private final io.vertx.core.Vertx vertx;
    /** The attached client; null while detached. Swapped by {@link #attach}. */
    private NetSocket socket;
    private Context context;
    private final int pid;
    private final boolean terminal;
    private final Consumer<SessionRelay> onFinished;
    private final RelayAllowance allowance;
    /** The attached client's connection, null while detached; read by the event loop too (input flow). */
    private volatile VertxConnection connection;
    /** The attached client's writer; a closed one while detached. */
    private FrameWriter writer;
    /**
     * Writers of clients this session let go (detached or taken over) that still write their last frame: each
     * to its own socket, so the current client's frames never mix with theirs.
     */
    private final List<FrameWriter> leaving = new ArrayList<>();
    private int master;
    private int stdin;
    private int stdout;
    private int stderr;

    private final ArrayDeque<byte[]> input = new ArrayDeque<>();
    private int inputOffset;
    private boolean inputEof;
    private final AtomicLong queuedInput = new AtomicLong();
    /** Whether the client's socket is not being read; changed together with the channel's autoRead. */
    private boolean socketPaused;

    private boolean outEof;
    private boolean errEof;

    private ExitStatus exit;
    /** Set when the relay ended the session itself (a time limit); null otherwise. */
    private String hungUpFor;
    /** The session's time limits; null without any. Loop thread only. */
    private SessionClock clock;
    private volatile long clockTimer = -1;
    private boolean clientGone;
    private boolean finished;
    /** Session id, detach policy and ring size (see {@link #allowDetach}); without them, no detaching. */
    private int id;
    private DetachPolicy detachPolicy = DetachPolicy.NEVER;
    private int ringCapacity;
    private volatile DetachedState detached;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Frames at most this long are read from the session: what every client accepts (docs/protocol.md). */
    private static final int CHUNK = Protocol.DATA_CHUNK;
    /** The forwarded agent's channels; null when the session has none. Loop thread only. */
    private final AgentChannels agent;

    SessionRelay(RelayLoop loop, io.vertx.core.Vertx vertx, NetSocket socket, Context context, SessionSpawner.Spawned spawned,
              RelayAllowance allowance, Consumer<SessionRelay> onFinished) {
        this.loop = loop;
        this.vertx = vertx;
        this.socket = socket;
        this.context = context;
        this.pid = spawned.pid();
        this.terminal = spawned.master() >= 0;
        this.master = spawned.master();
        this.stdin = spawned.stdin();
        this.stdout = spawned.stdout();
        this.stderr = spawned.stderr();
        this.onFinished = onFinished;
        this.allowance = allowance;
        this.connection = VertxConnection.of(socket);
        this.writer = new FrameWriter(connection.fd(), Frame.welcome(Protocol.VERSION).encode(), loop::close);
        if (terminal) errEof = true;
        this.agent = spawned.agent() == null ? null : new AgentChannels(spawned.agent(), new AgentChannels.Link() {
            @Override
            public void send(Frame frame) {
                writer.queue(frame.encode());
            }

            @Override
            public boolean room() {
                return writer.idle();
            }

            @Override
            public void unwatch(int fd) {
                loop.unwatch(fd);
            }
        });
    }

    /** Whether the session has a forwarded agent (any thread). */
    boolean forwardsAgent() {
        return agent != null;
    }

    /** An AGENT_* frame from the client (event-loop thread). */
    void offerAgent(Frame frame) {
        loop.execute(this, () -> {
            if (!finished) agent.onFrame(frame);
        });
    }

    int pid() {
        return pid;
    }

    boolean finished() {
        return finished;
    }

    /** Finished, and its writers have written or given up their last frames: the loop can forget it. */
    boolean done() {
        return finished && writer.closed() && leaving.stream().allMatch(FrameWriter::closed);
    }

    // ---- called from other threads: each posts to the loop ----

    /** Client bytes for the session's stdin (event-loop thread). */
    void offerInput(byte[] data) {
        if (data.length == 0) return; // an empty STDIN frame is legal and means nothing
        // Not socket.pause(): Vert.x would go on reading up to 16 more buffers into a queue of its own.
        if (queuedInput.addAndGet(data.length) > allowance.input()) readSocket(false);
        loop.execute(this, () -> {
            if (finished || inputEof) {
                queuedInput.addAndGet(-data.length);
            } else {
                input.add(data);
            }
        });
    }

    void offerEof() {
        loop.execute(this, () -> {
            inputEof = true;
            closeStdinIfDrained();
        });
    }

    void resize(int rows, int cols) {
        loop.execute(this, () -> {
            if (master >= 0 && rows > 0 && cols > 0) new WindowSize(rows, cols).applyTo(master);
        });
    }

    void signal(int signal) {
        loop.execute(this, () -> {
            if (exit == null) killGroup(signal);
        });
    }

    /** Starts enforcing the container's time limits on this session (from any thread). */
    void limitTime(SessionTimeLimits limits) {
        if (!limits.any()) return;
        loop.execute(this, () -> {
            clock = new SessionClock(limits, System.nanoTime());
            checkClock();
        });
    }

    /** The client on {@code from} is gone; a client that was replaced by another attach is no news. */
    void clientGone(NetSocket from) {
        loop.execute(this, () -> {
            if (from != socket) return;
            if (mayDetach()) {
                detach("client went away", null);
                return;
            }
            clientGone = true;
            maybeFinish();
        });
    }

    /**
     * A protocol error of the client on {@code from} while the session runs: hang up, and the client hears why
     * (event loop). A client that was already let go is being ended anyway.
     */
    void refuse(NetSocket from, ErrorCode code, String message) {
        loop.execute(this, () -> {
            if (finished || from != socket) return;
            teardown(true);
            end(Frame.error(code, message));
        });
    }

    /** Lets this terminal session outlive its client, as {@code policy} says (from any thread). */
    void allowDetach(int sessionId, DetachPolicy policy, int ringBytes) {
        loop.execute(this, () -> {
            id = sessionId;
            detachPolicy = policy;
            ringCapacity = ringBytes;
        });
    }

    /** The client asked to detach (its escape key): it gets DETACHED and goes; the session stays. */
    void detachRequested(NetSocket from) {
        loop.execute(this, () -> {
            if (from != socket || finished) return;
            if (!mayDetach()) {
                warn("jail: this container keeps no detached sessions (sessions.detach-grace is 0)");
                return;
            }
            detach("detached on request", Frame.detached(id));
        });
    }

    /**
     * Gives the session to a new client (whose socket is not being read until {@code done} runs), on the
     * client's event loop: a writer of its own for that socket, then on the relay thread WELCOME, the output
     * kept while detached, the client's window size, and SIGWINCH so that a full-screen program repaints. A
     * session attached elsewhere is taken over, as {@code screen -d -r} does: the other client gets DETACHED.
     * {@code done} gets null, or why the session cannot be attached.
     */
    void attach(NetSocket to, Context on, int rows, int cols, Consumer<String> done) {
        VertxConnection joining = VertxConnection.of(to);
        // The fd is taken (and copied) here, on the channel's event loop, the only thread that closes it.
        FrameWriter joiningWriter = new FrameWriter(joining.fd(), Frame.welcome(Protocol.VERSION).encode(), loop::close);
        loop.execute(this, () -> {
            if (finished || exit != null) {
                joiningWriter.close(); // nothing written: the connection answers with an ERROR of its own
                done.accept("session " + id + " has ended");
                return;
            }
            DetachedState was = detached;
            if (was != null) {
                vertx.cancelTimer(was.graceTimer());
            } else {
                letClientGo(Frame.detached(id));
                LOG.info("session " + pid + ": attached from another client, which is detached");
            }
            socket = to;
            context = on;
            connection = joining;
            writer = joiningWriter;
            socketPaused = false;
            inputEof = false; // the old client's STDIN_EOF (its terminal hung up) says nothing about the new one's
            detached = null;
            if (was != null) replay(was.ring().drain());
            if (rows > 0 && cols > 0) new WindowSize(rows, cols).applyTo(master);
            WindowSize.redraw(master);
            lastActivityNanos = System.nanoTime();
            LOG.info("session " + pid + ": reattached");
            done.accept(null);
        });
    }

    void exited(ExitStatus status) {
        loop.execute(this, () -> {
            exit = status;
            maybeFinish();
        });
    }

    /** Since when this session has no client, or null while one is attached. */
    Instant detachedSince() {
        DetachedState d = detached;
        return d == null ? null : d.since();
    }

    /** Time since the session's last input or output. */
    Duration idle() {
        return Duration.ofNanos(System.nanoTime() - lastActivityNanos);
    }

    /** Ends a session on request ({@code jail kill}): hung up as if its client and its grace were gone. */
    void kill() {
        loop.execute(this, () -> {
            if (finished) return;
            hungUpFor = "killed on request";
            LOG.info("session " + pid + ": killed on request, hanging up");
            clientGone = true;
            teardown(true);
            end(Frame.error(ErrorCode.LIMIT, "session ended: killed by jail kill"));
        });
    }

    // ---- loop thread only ----

    private boolean mayDetach() {
        return terminal && detachPolicy.keepsSessions() && exit == null && !finished;
    }

    /**
     * From now on output goes to a ring and the session waits for a client until its grace ends. The client
     * gets {@code farewell} after its open frame (null: it is gone, and what its writer held is dropped).
     */
    private void detach(String why, Frame farewell) {
        if (farewell != null) {
            letClientGo(farewell);
        } else {
            writer.close();
            dropClient();
        }
        DetachedState d = new DetachedState(new OutputRing(ringCapacity), Instant.now());
        detached = d;
        d.graceTimer(vertx.setTimer(Math.max(1, detachPolicy.grace().toMillis()), t -> loop.execute(this, () -> graceOver(d))));
        LOG.info("session " + pid + ": " + why + ", detached (kept for " + SessionTimeLimits.describe(detachPolicy.grace()) + ")");
    }

    /**
     * Ends the attached client's connection with {@code last} while the session goes on: its writer finishes
     * the open frame and {@code last} on its own socket (or is given up after the grace period), and the
     * session has no client until the next attach.
     */
    private void letClientGo(Frame last) {
        end(last);
        if (!writer.closed()) leaving.add(writer);
        dropClient();
    }

    private void dropClient() {
        socket = null;
        context = null;
        connection = null;
        writer = FrameWriter.none();
    }

    private void graceOver(DetachedState d) {
        if (detached != d || finished) return;
        hungUpFor = "detached for " + SessionTimeLimits.describe(detachPolicy.grace());
        LOG.info("session " + pid + ": " + hungUpFor + ", hanging up");
        clientGone = true;
        teardown(true);
    }

    /** The output kept while detached, as STDOUT frames queued behind WELCOME, before anything new. */
    private void replay(byte[] kept) {
        for (int off = 0; off < kept.length; off += CHUNK - Protocol.HEADER_SIZE) {
            int n = Math.min(CHUNK - Protocol.HEADER_SIZE, kept.length - off);
            writer.queue(Frame.data(FrameType.STDOUT, kept, off, n).encode());
        }
    }

    void collectWatches(List<Watch> watches) {
        if (!writer.idle()) watches.add(new Watch(this, writer.fd(), PollSet.OUT));
        leaving.removeIf(FrameWriter::closed);
        for (FrameWriter w : leaving) {
            if (!w.idle()) watches.add(new Watch(this, w.fd(), PollSet.OUT));
        }
        if (finished) return;
        if (detached == null && writer.closed()) { // its socket failed before or under a write
            clientLost();
            return;
        }
        if (agent != null) agent.collectWatches(watches, this);
        boolean wantInput = !input.isEmpty();
        // The session's output waits in its pipe or pty while a frame is open; detached, the ring takes it.
        boolean room = detached != null || writer.idle();
        if (terminal) {
            short ev = (short) ((!outEof && room ? PollSet.IN : 0) | (wantInput ? PollSet.OUT : 0));
            if (ev != 0) watches.add(new Watch(this, master, ev));
            return;
        }
        if (!outEof && room) watches.add(new Watch(this, stdout, PollSet.IN));
        if (!errEof && room) watches.add(new Watch(this, stderr, PollSet.IN));
        if (wantInput && stdin >= 0) watches.add(new Watch(this, stdin, PollSet.OUT));
    }

    void onReady(int fd, short revents) {
        for (FrameWriter w : leaving) {
            if (fd == w.fd()) w.flush(); // a let-go client's loss is no news: it is being ended anyway
        }
        if (fd == writer.fd()) {
            writer.flush();
            if (writer.lost()) clientLost();
        }
        if (finished) return;
        if (agent != null && agent.onReady(fd, revents)) {
            if (writer.lost()) clientLost();
            return;
        }
        if (fd == stdin && (revents & (PollSet.OUT | PollSet.ERR | PollSet.HUP)) != 0
                || fd == master && (revents & PollSet.OUT) != 0) {
            pumpInput(fd);
        }
        if ((revents & (PollSet.IN | PollSet.HUP | PollSet.ERR)) != 0 && (detached != null || writer.idle())) {
            boolean hangUp = (revents & (PollSet.HUP | PollSet.ERR)) != 0;
            if (fd == master && !outEof) outEof = pumpPty();
            else if (fd == stdout && !outEof) outEof = pumpPipe(stdout, FrameType.STDOUT, hangUp);
            else if (fd == stderr && !errEof) errEof = pumpPipe(stderr, FrameType.STDERR, hangUp);
            if (writer.lost()) clientLost();
        }
        maybeFinish();
    }

    /**
     * Splices what the pipe holds now into frames, until it is empty, a frame stays open (the socket is full),
     * or a burst limit (so one busy session does not starve the others); true at end of file: the pipe was
     * hung up ({@code hangUp}, its writers are gone) and is empty.
     */
    private boolean pumpPipe(int fd, FrameType type, boolean hangUp) {
        for (int burst = 0; burst < 16 && writer.idle(); burst++) {
            int n = Pipes.available(fd);
            if (n == 0) return hangUp;
            writer.spliceFrame(type, fd, Math.min(n, CHUNK));
            activity();
        }
        return false;
    }

    /**
     * Reads and sends what the pty has now, a frame at a time, as long as the socket takes them (detached: into
     * the ring); true at EOF.
     */
    private boolean pumpPty() {
        for (int burst = 0; burst < 16 && (detached != null || writer.idle()); burst++) {
            int n = readPtyFrame();
            if (n < 0) return true;
            if (n == 0) return false;
        }
        return false;
    }

    /**
     * Reads the pty into the loop's buffer behind room for a header and sends it as one frame. A pty hands out
     * at most a few KiB per read: the frame is filled from several reads while more is there, so bulk output
     * through a terminal does not become thousands of tiny frames. Returns bytes read, 0, or -1 at EOF.
     */
    private int readPtyFrame() {
        NativeBuffer buf = loop.scratch();
        int room = Math.min(buf.size(), CHUNK) - Protocol.HEADER_SIZE;
        int n = 0;
        while (n < room) {
            int got = buf.read(master, Protocol.HEADER_SIZE + n, room - n);
            if (got < 0) {
                if (n == 0) return -1;
                break;
            }
            if (got == 0) break;
            n += got;
        }
        if (n > 0) {
            DetachedState d = detached;
            if (d != null) { // nobody to send to: the ring keeps it, the oldest gives way
                d.ring().write(buf.get(Protocol.HEADER_SIZE, n), 0, n);
            } else {
                writer.bufferFrame(buf, FrameType.STDOUT, n);
            }
            activity();
        }
        return n;
    }

    private void activity() {
        long now = System.nanoTime();
        lastActivityNanos = now;
        if (clock != null) clock.activity(now);
    }

    private void pumpInput(int fd) {
        try {
            NativeBuffer scratch = loop.scratch();
            while (!input.isEmpty()) {
                byte[] head = input.peek();
                int len = Math.min(head.length - inputOffset, scratch.size());
                scratch.put(0, head, inputOffset, len);
                int n = scratch.write(fd, 0, len);
                if (n == 0) break;
                inputOffset += n;
                activity();
                if (inputOffset == head.length) {
                    input.poll();
                    inputOffset = 0;
                }
                consumed(n);
            }
        } catch (SyscallException e) {
            // EPIPE/EIO: the session stopped reading for good; what is left can never be delivered.
            discardInput();
            if (!terminal) closeStdin();
        }
        closeStdinIfDrained();
    }

    private void consumed(long n) {
        if (queuedInput.addAndGet(-n) < allowance.inputResume()) readSocket(true);
    }

    /**
     * Starts or stops reading the client's socket (from the event loop or this loop): with autoRead off, Netty
     * reads nothing more after the buffer in hand, and the client's data waits in the kernel.
     */
    private synchronized void readSocket(boolean on) {
        if (socketPaused != on) return;
        socketPaused = !on;
        VertxConnection c = connection;
        if (c != null) c.reading(on); // detached: the next client's connection starts reading on its own
    }

    private void discardInput() {
        long dropped = 0;
        for (byte[] b : input) dropped += b.length;
        input.clear();
        consumed(dropped - inputOffset);
        inputOffset = 0;
    }

    private void closeStdinIfDrained() {
        if (!terminal && inputEof && input.isEmpty()) closeStdin();
    }

    private void closeStdin() {
        loop.close(stdin);
        stdin = -1;
    }

    private void maybeFinish() {
        if (finished) return;
        if (clientGone) {
            if (exit == null) LOG.info("session " + pid + ": client went away, hanging up");
            clientLost();
            return;
        }
        if (exit == null) return;
        if (terminal && !outEof) {
            // The shell is gone: take what it wrote last (as fast as the client takes it), then hang up
            // whatever still holds the pty.
            if (!writer.idle()) return;
            int n;
            while (writer.idle() && (n = readPtyFrame()) > 0) {
                // drain
            }
            if (!writer.idle()) return;
            outEof = true;
        }
        if (!outEof || !errEof) return; // pipes: wait for EOF, as sshd does
        teardown(false);
        end(Frame.exit(exit.signaled(), exit.value()));
    }

    /**
     * The client is gone (or its socket failed under a write): detach if the session may outlive it, else hang
     * up; nothing more to tell it.
     */
    private void clientLost() {
        if (mayDetach()) {
            detach("client went away", null);
            return;
        }
        if (!finished) teardown(true);
        writer.close();
    }

    /**
     * Sends the last frame after whatever frame is open, then shuts the write side down; the event loop
     * discards what the client still sends and closes when it does. A client that takes nothing more is given
     * up after the same grace period. Detached, there is nobody to tell.
     */
    private void end(Frame last) {
        NetSocket client = socket; // the callbacks below are this client's, not the next one's
        if (client == null) return;
        FrameWriter out = writer;
        out.endWith(last.encode());
        context.runOnContext(v -> SocketEnding.afterRelayEnding(vertx, client));
        if (!out.closed()) vertx.setTimer(SocketEnding.GRACE_MILLIS, t -> loop.execute(this, out::close));
    }

    /**
     * Warns or ends as the clock says, and sets a timer for its next look (activity only moves the idle end
     * later, so a timer that fires early just looks again).
     */
    private void checkClock() {
        if (finished) return;
        SessionClock.Verdict verdict = clock.check(System.nanoTime());
        if (verdict.warning() != null) warn(verdict.warning());
        if (verdict.end() != null) {
            timeUp(verdict.end());
            return;
        }
        if (verdict.nextCheckNanos() == Long.MAX_VALUE) return;
        long delayMillis = Math.max(1, (verdict.nextCheckNanos() - System.nanoTime() + 999_999) / 1_000_000);
        clockTimer = vertx.setTimer(delayMillis, id -> loop.execute(this, this::checkClock));
    }

    /**
     * The warning goes where the user looks: with the session's output on a terminal (on a line of its own),
     * on stderr without one (stdout may be data). It reaches the client only: it is not the session's output,
     * so it does not count as activity.
     */
    private void warn(String text) {
        byte[] bytes = (terminal ? "\r\n" + text + "\r\n" : text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writer.queue(new Frame(terminal ? FrameType.STDOUT : FrameType.STDERR, bytes).encode());
    }

    /** Hangs the session up as if its client had gone, and tells the client why. */
    private void timeUp(String reason) {
        hungUpFor = reason;
        LOG.info("session " + pid + ": " + reason + ", hanging up");
        teardown(true);
        end(Frame.error(ErrorCode.LIMIT, "session ended: " + reason));
    }

    /** Why the relay hung the session up itself, or null. */
    String hungUpFor() {
        return hungUpFor;
    }

    /**
     * Ends the session after a failure of its relay (an Error included, such as running out of direct memory):
     * hang up, then tell the client in one line. Only this session ends; the loop goes on with the others.
     */
    void abort(Throwable cause) {
        if (finished) return;
        teardown(true); // first: it frees what the session holds and cannot fail for lack of memory
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        LOG.warning("session " + pid + " aborted: " + cause);
        end(Frame.error(ErrorCode.INTERNAL, "session relay failed: " + reason));
    }

    private void teardown(boolean hangUp) {
        finished = true;
        if (clockTimer >= 0) vertx.cancelTimer(clockTimer);
        DetachedState d = detached;
        if (d != null) vertx.cancelTimer(d.graceTimer());
        if (hangUp && !terminal && exit == null) {
            killGroup(SIGHUP);
            killGroup(SIGCONT);
        }
        if (agent != null) agent.close();
        int kept = writer.adoptSource(); // the pipe an open frame still splices from: the writer closes it
        for (int fd : new int[]{master, stdin, stdout, stderr}) {
            if (fd != kept) loop.close(fd);
        }
        master = stdin = stdout = stderr = -1;
        input.clear();
        onFinished.accept(this);
    }

    private void killGroup(int signal) {
        Processes.signal(-pid, signal); // false: the group is already gone
    }

    ExitStatus exitStatus() {
        return exit;
    }
}

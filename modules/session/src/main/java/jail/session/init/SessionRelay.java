package jail.session.init;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import com.sun.jna.Pointer;
import jail.namespace.ExitStatus;
import jail.namespace.NativeFd;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;
import jail.pty.WindowSize;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static jail.namespace.jna.Constants.*;

/**
 * The relay of one session: client socket on one side, the pty master (terminal mode) or the stdin/stdout/
 * stderr pipes (pipes mode) on the other. Its fd work runs on the {@link RelayLoop} thread; the Vert.x event
 * loop and the reaper only post tasks to it. Both directions are flow-controlled: the socket is paused when
 * too much input waits for the session, and reading from the session stops while too much output waits for
 * the client, each within the session's {@link RelayAllowance}. Nothing is dropped.
 *
 * <p>The end follows sshd: when the shell exits, the rest of its output is read (terminal) or read to EOF
 * (pipes), the exit status is sent, and the socket is closed; when the client goes away first, the session
 * is hung up (the master is closed, so the kernel sends SIGHUP; pipes: SIGHUP to its process group), unless it
 * is a terminal session in a container that keeps detached sessions: then it is {@link DetachedState detached}
 * (its output goes to a bounded ring) until a client attaches again or its grace ends.
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
    private io.netty.channel.Channel channel;
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

    /** Bytes of frame buffers handed to Netty and not yet written to the socket. */
    private final AtomicLong pendingOutput = new AtomicLong();
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
    private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

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
        this.channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
        if (terminal) errEof = true;
    }

    int pid() {
        return pid;
    }

    boolean finished() {
        return finished;
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
                detach("client went away");
                return;
            }
            clientGone = true;
            maybeFinish();
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
            endClient(Buffer.buffer(Frame.detached(id).encode()));
            detach("detached on request");
        });
    }

    /**
     * Gives the session to a new client (whose socket is not being read until {@code done} runs): WELCOME, the
     * output kept while detached, the client's window size, and SIGWINCH so that a full-screen program repaints.
     * A session attached elsewhere is taken over, as {@code screen -d -r} does: the other client gets DETACHED.
     * {@code done} gets null, or why the session cannot be attached.
     */
    void attach(NetSocket to, Context on, int rows, int cols, Consumer<String> done) {
        loop.execute(this, () -> {
            if (finished || exit != null) {
                done.accept("session " + id + " has ended");
                return;
            }
            DetachedState was = detached;
            if (was != null) {
                vertx.cancelTimer(was.graceTimer());
            } else {
                endClient(Buffer.buffer(Frame.detached(id).encode()));
                LOG.info("session " + pid + ": attached from another client, which is detached");
            }
            socket = to;
            context = on;
            channel = ((NetSocketInternal) to).channelHandlerContext().channel();
            socketPaused = false;
            inputEof = false; // the old client's STDIN_EOF (its terminal hung up) says nothing about the new one's
            detached = null;
            send(io.netty.buffer.Unpooled.wrappedBuffer(Frame.welcome(Protocol.VERSION).encode()));
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
    java.time.Instant detachedSince() {
        DetachedState d = detached;
        return d == null ? null : d.since();
    }

    /** Time since the session's last input or output. */
    java.time.Duration idle() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastActivityNanos);
    }

    /** Ends a session on request ({@code jail kill}): hung up as if its client and its grace were gone. */
    void kill() {
        loop.execute(this, () -> {
            if (finished) return;
            hungUpFor = "killed on request";
            LOG.info("session " + pid + ": killed on request, hanging up");
            clientGone = true;
            endClient(Buffer.buffer(Frame.error(jail.session.protocol.ErrorCode.LIMIT, "session ended: killed by jail kill").encode()));
            teardown(true);
        });
    }

    // ---- loop thread only ----

    private boolean mayDetach() {
        return terminal && detachPolicy.keepsSessions() && exit == null && !finished;
    }

    /** From now on output goes to a ring and the session waits for a client until its grace ends. */
    private void detach(String why) {
        socket = null;
        DetachedState d = new DetachedState(new OutputRing(ringCapacity), java.time.Instant.now());
        detached = d;
        d.graceTimer(vertx.setTimer(Math.max(1, detachPolicy.grace().toMillis()), t -> loop.execute(this, () -> graceOver(d))));
        LOG.info("session " + pid + ": " + why + ", detached (kept for " + SessionTimeLimits.describe(detachPolicy.grace()) + ")");
    }

    private void graceOver(DetachedState d) {
        if (detached != d || finished) return;
        hungUpFor = "detached for " + SessionTimeLimits.describe(detachPolicy.grace());
        LOG.info("session " + pid + ": " + hungUpFor + ", hanging up");
        clientGone = true;
        teardown(true);
    }

    /** The output kept while detached, as STDOUT frames, before anything new. */
    private void replay(byte[] kept) {
        int chunk = RelayAllowance.FRAME - Protocol.HEADER_SIZE;
        for (int off = 0; off < kept.length; off += chunk) {
            int n = Math.min(chunk, kept.length - off);
            send(io.netty.buffer.Unpooled.wrappedBuffer(Frame.data(FrameType.STDOUT, kept, off, n).encode()));
        }
    }

    /** Ends the attached client's connection with {@code last}; nothing to do while detached. */
    private void endClient(Buffer last) {
        NetSocket s = socket;
        Context c = context;
        if (s != null) c.runOnContext(v -> SocketEnding.endWith(vertx, s, last));
    }

    void collectWatches(List<Watch> watches) {
        if (finished) return;
        boolean wantInput = !input.isEmpty();
        boolean room = outputRoom();
        if (terminal) {
            short ev = (short) ((!outEof && room ? POLLIN : 0) | (wantInput ? POLLOUT : 0));
            if (ev != 0) watches.add(new Watch(this, master, ev));
            return;
        }
        if (!outEof && room) watches.add(new Watch(this, stdout, POLLIN));
        if (!errEof && room) watches.add(new Watch(this, stderr, POLLIN));
        if (wantInput && stdin >= 0) watches.add(new Watch(this, stdin, POLLOUT));
    }

    void onReady(int fd, short revents) {
        if (finished) return;
        if ((revents & POLLOUT) != 0 || (fd == stdin && (revents & (POLLERR | POLLHUP)) != 0)) {
            pumpInput(fd);
        }
        if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            if (fd == master && !outEof) outEof = pumpOutput(master, FrameType.STDOUT);
            else if (fd == stdout && !outEof) outEof = pumpOutput(stdout, FrameType.STDOUT);
            else if (fd == stderr && !errEof) errEof = pumpOutput(stderr, FrameType.STDERR);
        }
        maybeFinish();
    }

    /**
     * Reads and sends what the fd has now, a chunk at a time, until it has no more, the session's allowance
     * has no room for another frame, or a burst limit (so one busy session does not starve the others); true
     * at end of file.
     */
    private boolean pumpOutput(int fd, FrameType type) {
        for (int burst = 0; burst < 16 && outputRoom(); burst++) {
            int n = readFrame(fd, type);
            if (n < 0) return true;
            if (n == 0) return false;
        }
        return false;
    }

    /**
     * Reads straight into a pooled direct buffer behind a 5-byte frame header and hands that buffer to Netty,
     * which writes it to the socket and releases it: no copy on our side. Returns bytes read, 0, or -1 at EOF.
     */
    private int readFrame(int fd, FrameType type) {
        ByteBuf frame = ALLOCATOR.directBuffer(RelayAllowance.FRAME, RelayAllowance.FRAME);
        int room = RelayAllowance.FRAME - Protocol.HEADER_SIZE;
        int n = 0;
        try {
            if (!frame.hasMemoryAddress()) {
                n = readIntoHeapCopy(fd, frame);
            } else {
                // A pty hands out at most a few KiB per read: keep filling this frame while more is there, so
                // bulk output through a terminal does not become thousands of tiny frames.
                while (n < room) {
                    int got = NativeFd.readNonBlocking(fd,
                            new Pointer(frame.memoryAddress() + Protocol.HEADER_SIZE + n), room - n);
                    if (got < 0) {
                        if (n == 0) n = -1;
                        break;
                    }
                    if (got == 0) break;
                    n += got;
                    if (fd != master) break; // a pipe gives all it has in one read
                }
            }
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        if (n <= 0) {
            frame.release();
            return n;
        }
        frame.setByte(0, type.code).setInt(1, n).writerIndex(Protocol.HEADER_SIZE + n);
        send(frame);
        lastActivityNanos = System.nanoTime();
        if (clock != null) clock.activity(System.nanoTime());
        return n;
    }

    /** Without Unsafe Netty's buffers have no address: read into our native buffer and copy. */
    private int readIntoHeapCopy(int fd, ByteBuf frame) {
        Memory scratch = loop.scratch();
        int n = NativeFd.readNonBlocking(fd, scratch, RelayAllowance.FRAME - Protocol.HEADER_SIZE);
        if (n > 0) frame.setBytes(Protocol.HEADER_SIZE, scratch.getByteBuffer(0, n));
        return n;
    }

    /** Whether another frame fits in the session's output allowance. */
    private boolean outputRoom() {
        return detached != null || pendingOutput.get() + RelayAllowance.FRAME <= allowance.output();
    }

    /** Hands a frame to Netty, counted at its buffer's size (what it holds of the pool) until it is written. */
    private void send(ByteBuf frame) {
        DetachedState d = detached;
        if (d != null) { // nobody to send to: keep the payload in the ring, the oldest gives way
            byte[] payload = new byte[frame.readableBytes() - Protocol.HEADER_SIZE];
            frame.getBytes(frame.readerIndex() + Protocol.HEADER_SIZE, payload);
            frame.release();
            d.ring().write(payload, 0, payload.length);
            return;
        }
        long size = frame.capacity();
        pendingOutput.addAndGet(size);
        ((NetSocketInternal) socket).writeMessage(frame, ar -> {
            long left = pendingOutput.addAndGet(-size);
            if (left + size + RelayAllowance.FRAME > allowance.output() && outputRoom()) {
                loop.execute(this, () -> { }); // room again: the loop's next poll set watches our output
            }
        });
    }

    private void pumpInput(int fd) {
        try {
            Memory scratch = loop.scratch();
            while (!input.isEmpty()) {
                byte[] head = input.peek();
                int len = (int) Math.min(head.length - inputOffset, scratch.size());
                scratch.write(0, head, inputOffset, len);
                int n = NativeFd.writeNonBlocking(fd, scratch, len);
                if (n == 0) break;
                inputOffset += n;
                lastActivityNanos = System.nanoTime();
                if (clock != null) clock.activity(System.nanoTime());
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
        channel.config().setAutoRead(on);
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
        NativeFd.close(stdin);
        stdin = -1;
    }

    private void maybeFinish() {
        if (finished) return;
        if (clientGone) {
            if (exit == null) LOG.info("session " + pid + ": client went away, hanging up");
            teardown(true);
            return;
        }
        if (exit == null) return;
        if (terminal && !outEof) {
            // The shell is gone: take what it wrote last, then hang up whatever still holds the pty.
            int n;
            while ((n = readFrame(master, FrameType.STDOUT)) > 0) {
                // drain
            }
            outEof = true;
        }
        if (!outEof || !errEof) return; // pipes: wait for EOF, as sshd does
        endClient(Buffer.buffer(Frame.exit(exit.signaled(), exit.value()).encode()));
        teardown(false);
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
        send(io.netty.buffer.Unpooled.wrappedBuffer(Frame.data(terminal ? FrameType.STDOUT : FrameType.STDERR,
                bytes, 0, bytes.length).encode()));
    }

    /** Hangs the session up as if its client had gone, and tells the client why. */
    private void timeUp(String reason) {
        hungUpFor = reason;
        LOG.info("session " + pid + ": " + reason + ", hanging up");
        teardown(true);
        endClient(Buffer.buffer(Frame.error(jail.session.protocol.ErrorCode.LIMIT, "session ended: " + reason).encode()));
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
        endClient(Buffer.buffer(Frame.error(jail.session.protocol.ErrorCode.INTERNAL, "session relay failed: " + reason).encode()));
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
        NativeFd.close(master);
        NativeFd.close(stdin);
        NativeFd.close(stdout);
        NativeFd.close(stderr);
        master = stdin = stdout = stderr = -1;
        input.clear();
        onFinished.accept(this);
    }

    private void killGroup(int signal) {
        try {
            LibC.INSTANCE.kill(-pid, signal);
        } catch (LastErrorException e) {
            // ESRCH: the group is already gone.
        }
    }

    ExitStatus exitStatus() {
        return exit;
    }
}

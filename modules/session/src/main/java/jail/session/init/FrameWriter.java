package jail.session.init;

import jail.namespace.SyscallException;
import jail.namespace.io.Fds;
import jail.namespace.io.NativeBuffer;
import jail.namespace.io.Splice;
import jail.namespace.io.UnixSocket;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Protocol;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * The only writer of a session's socket from its WELCOME on, on the relay thread. It writes through a
 * duplicate of the socket's fd, so the number cannot be reused under it when Vert.x closes its own. A data
 * frame from a pipe is its header, then exactly the announced bytes spliced from the pipe into the socket:
 * they never pass through user space. A frame the socket does not take at once stays open, and nothing else
 * is written before it is complete, so frames never interleave; control frames (a warning, EXIT, ERROR) wait
 * in a queue behind it. The socket is non-blocking: the relay polls {@link #fd} for room while
 * {@link #idle} is false.
 *
 * <p>Any error of the socket (EPIPE, ECONNRESET) means the client is gone: the writer closes and says so
 * through {@link #lost}.
 */
final class FrameWriter {
    private static final Logger LOG = Logger.getLogger(FrameWriter.class.getName());

    /**
     * The socket's send buffer (the kernel doubles it): with the default 208 KiB the relay thread found the
     * socket full every few frames and woke twice as often (docs/performance.md, "Relay levers").
     */
    static final int SEND_BUFFER = 1 << 20;

    private int fd;
    /** Bytes to write before anything else: a header, a whole control frame, or the rest of a pty frame. */
    private byte[] pending;
    private int pendingOffset;
    /** The pipe the open frame's payload is spliced from, and how much of it is still to go. */
    private int source = -1;
    private int sourceLeft;
    /** Whether this writer closes {@link #source} once the open frame is done (the session no longer does). */
    private boolean ownsSource;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private boolean ending;
    private boolean lost;
    private final IntConsumer closer;

    /**
     * Takes a copy of {@code socketFd} (-1: the socket is closed already, and this writer with it);
     * {@code first} is the first frame to write (WELCOME); {@code closer} closes the fds this writer is done
     * with (the relay takes them out of its epoll set first: the socket's original keeps its file open).
     */
    FrameWriter(int socketFd, byte[] first, IntConsumer closer) {
        this.closer = closer;
        int copy = -1;
        try {
            if (socketFd >= 0) copy = Fds.duplicate(socketFd);
        } catch (SyscallException e) { // EMFILE: a session we cannot talk to ends as if its client left
            LOG.warning("client socket: " + e.getMessage());
        }
        fd = copy;
        if (copy >= 0) UnixSocket.sendBuffer(copy, SEND_BUFFER);
        pending = copy < 0 ? null : first;
    }

    /** A writer with no socket (a detached session's): idle and closed, it takes nothing. */
    static FrameWriter none() {
        return new FrameWriter(-1, null, fd -> { });
    }

    int fd() {
        return fd;
    }

    /** Nothing open or queued: a new frame may start (a closed writer is idle: it takes nothing more). */
    boolean idle() {
        return closed() || pending == null && sourceLeft == 0 && queued.isEmpty();
    }

    boolean closed() {
        return fd < 0;
    }

    /** The client went away under a write. */
    boolean lost() {
        return lost;
    }

    /** Starts a frame whose {@code length} bytes wait in {@code pipe}, and writes what the socket takes now. */
    void spliceFrame(FrameType type, int pipe, int length) {
        if (closed()) return;
        byte[] header = new byte[Protocol.HEADER_SIZE];
        Frame.header(type, length, header);
        pending = header;
        pendingOffset = 0;
        source = pipe;
        sourceLeft = length;
        flush();
    }

    /**
     * Sends a frame whose payload sits in {@code buffer} at {@link Protocol#HEADER_SIZE} (the header is written
     * in front of it): one write, and what the socket does not take now is kept (copied) for later.
     */
    void bufferFrame(NativeBuffer buffer, FrameType type, int length) {
        if (closed()) return;
        buffer.putByte(0, (byte) type.code);
        buffer.putIntBigEndian(1, length);
        int total = Protocol.HEADER_SIZE + length;
        try {
            int n = buffer.write(fd, 0, total);
            if (n < total) {
                pending = buffer.get(n, total - n);
                pendingOffset = 0;
            }
        } catch (SyscallException e) {
            lose(e);
        }
    }

    /** Queues a whole encoded frame behind whatever is open. */
    void queue(byte[] frame) {
        if (closed()) return;
        queued.add(frame);
        flush();
    }

    /** Queues the last frame: once it is written the write side is shut down (the client reads it, then EOF). */
    void endWith(byte[] frame) {
        ending = true;
        queue(frame);
    }

    /**
     * The session is done with its pipes: the one the open frame still splices from becomes this writer's to
     * close when the frame is complete. Returns that fd (which the session must not close), or -1.
     */
    int adoptSource() {
        if (sourceLeft == 0) return -1;
        ownsSource = true;
        return source;
    }

    /** Writes what the socket takes now; true once nothing is left. */
    boolean flush() {
        if (closed()) return true;
        try {
            while (true) {
                if (pending != null) {
                    int n = Fds.writeNonBlocking(fd, pending, pendingOffset, pending.length - pendingOffset);
                    if (n == 0) return false;
                    pendingOffset += n;
                    if (pendingOffset < pending.length) return false;
                    pending = null;
                }
                if (sourceLeft > 0) {
                    // The bytes are in the pipe (FIONREAD said so) and only we read it: 0 means the socket is full.
                    int n = Splice.move(source, fd, sourceLeft);
                    if (n == 0) return false;
                    if (n < 0) throw new IllegalStateException("pipe ended inside a frame");
                    sourceLeft -= n;
                    if (sourceLeft > 0) continue;
                    releaseSource();
                }
                byte[] next = queued.poll();
                if (next == null) {
                    if (ending) finish();
                    return true;
                }
                pending = next;
                pendingOffset = 0;
            }
        } catch (RuntimeException e) { // the socket failed (EPIPE, ECONNRESET), or we did: the stream is broken
            lose(e);
            return true;
        }
    }

    private void releaseSource() {
        if (ownsSource) closer.accept(source);
        ownsSource = false;
        source = -1;
    }

    private void finish() {
        UnixSocket.shutdownOutput(fd);
        close();
    }

    private void lose(RuntimeException e) {
        LOG.fine(() -> "client socket: " + e.getMessage());
        lost = true;
        close();
    }

    /** Gives up whatever is unwritten and closes our copy of the socket (the client is gone, or too slow). */
    void close() {
        if (closed()) return;
        closer.accept(fd);
        fd = -1;
        pending = null;
        sourceLeft = 0;
        releaseSource();
        queued.clear();
    }
}

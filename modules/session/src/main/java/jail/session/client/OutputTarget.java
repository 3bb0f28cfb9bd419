package jail.session.client;

import jail.namespace.SyscallException;
import jail.namespace.io.Fds;
import jail.namespace.io.NativeBuffer;
import jail.namespace.io.Pipes;
import jail.namespace.io.PollSet;
import jail.namespace.io.Splice;

import static jail.namespace.jna.Constants.EPIPE;

/**
 * Our stdout or stderr as the payloads of STDOUT or STDERR frames reach it: exactly the announced bytes go
 * from the socket to the fd without passing through user space. Into a pipe, splice(2) moves them directly;
 * into a file, /dev/null or a socket, through a private pipe (splice needs a pipe on one side); into a
 * terminal, or wherever the kernel refuses to splice (EINVAL), they are read and written.
 *
 * <p>Failures follow a program writing to the same fd: EPIPE (no reader left) is reported to
 * {@link Gone}; any other error (a full disk, a closed fd) loses the rest of that frame, and the next frame
 * tries again.
 */
final class OutputTarget {
    /** What the client does when nobody will read this stream again: end as SIGPIPE would end a writer. */
    interface Gone {
        void outputGone();
    }

    private enum Way { DIRECT, VIA_PIPE, COPY }

    private static final int PRIVATE_PIPE = 1 << 20;
    private final int fd;
    private final Gone gone;
    private Way way;
    private int[] pipe;
    private int pipeSize;
    private NativeBuffer buffer;
    private PollSet room;

    OutputTarget(int fd, Gone gone) {
        this.fd = fd;
        this.gone = gone;
    }

    /** Moves exactly {@code length} bytes from {@code socket} (blocking) to this target. */
    void copy(int socket, int length) {
        if (way == null) way = choose();
        int left = length;
        while (left > 0) {
            int moved;
            try {
                moved = switch (way) {
                    case DIRECT -> direct(socket, left);
                    case VIA_PIPE -> viaPipe(socket, left);
                    case COPY -> copyThroughBuffer(socket, left);
                };
            } catch (Splice.Refused e) {
                way = Way.COPY; // nothing of this step moved: try again the old way
                continue;
            } catch (SyscallException e) {
                if (e.errno() == EPIPE) gone.outputGone();
                discard(socket, left - drainPipe());
                return;
            }
            if (moved < 0) return; // the socket ended inside the frame: the caller sees it at the next read
            left -= moved;
        }
    }

    private Way choose() {
        try {
            return switch (Fds.kind(fd)) {
                case PIPE -> {
                    // A bigger pipe lets the reader take more per wake-up (best effort: the kernel may refuse).
                    Pipes.resize(fd, PRIVATE_PIPE);
                    yield Way.DIRECT;
                }
                case TERMINAL -> Way.COPY;
                default -> Way.VIA_PIPE;
            };
        } catch (SyscallException e) {
            return Way.COPY; // EBADF: a closed stdout; the writes will say so
        }
    }

    private int direct(int socket, int left) {
        int n = Splice.moveWaiting(socket, fd, left);
        if (n == 0) awaitRoom(); // our stdout is non-blocking (its O_NONBLOCK was set by someone else)
        return n;
    }

    /** socket -> private pipe -> target; what entered the pipe all leaves it before the next step. */
    private int viaPipe(int socket, int left) {
        if (pipe == null) {
            pipe = Pipes.create();
            pipeSize = Pipes.resize(pipe[1], PRIVATE_PIPE);
        }
        int in = Splice.moveWaiting(socket, pipe[1], Math.min(left, pipeSize));
        if (in <= 0) return in;
        int out = 0;
        try {
            while (out < in) {
                int n = Splice.moveWaiting(pipe[0], fd, in - out);
                if (n == 0) awaitRoom();
                else out += n;
            }
        } catch (Splice.Refused e) {
            way = Way.COPY;
            writeAll(pipe[0], in - out); // what is in our pipe goes on the old way
        }
        return in;
    }

    private int copyThroughBuffer(int socket, int left) {
        NativeBuffer buf = buffer();
        int n = buf.read(socket, 0, Math.min(left, buf.size()));
        if (n <= 0) return n < 0 ? -1 : 0;
        writeFrom(buf, n);
        return n;
    }

    /** Reads {@code len} bytes from {@code from} (our private pipe) and writes them to the target. */
    private void writeAll(int from, int len) {
        NativeBuffer buf = buffer();
        while (len > 0) {
            int n = buf.read(from, 0, Math.min(len, buf.size()));
            if (n <= 0) return;
            writeFrom(buf, n);
            len -= n;
        }
    }

    private void writeFrom(NativeBuffer buf, int len) {
        int off = 0;
        while (off < len) {
            int n = buf.write(fd, off, len - off);
            if (n == 0) awaitRoom();
            off += n;
        }
    }

    /** After an error: empties our private pipe (its bytes are lost with the frame); returns how many it held. */
    private int drainPipe() {
        if (pipe == null) return 0;
        int held = Pipes.available(pipe[0]);
        discard(pipe[0], held);
        return held;
    }

    /** Reads and drops {@code len} bytes, so the next frame starts where it should. */
    private void discard(int from, int len) {
        NativeBuffer buf = buffer();
        while (len > 0) {
            int n = buf.read(from, 0, Math.min(len, buf.size()));
            if (n < 0) return;
            len -= n;
        }
    }

    private NativeBuffer buffer() {
        if (buffer == null) buffer = new NativeBuffer(jail.session.protocol.Protocol.MAX_PAYLOAD);
        return buffer;
    }

    private void awaitRoom() {
        if (room == null) {
            room = new PollSet();
            room.add(fd, PollSet.OUT);
        }
        room.poll(-1);
    }
}

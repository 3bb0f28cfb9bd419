package jail.session.init;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.NativeFd;
import jail.namespace.jna.LibC;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

import static jail.namespace.jna.Constants.*;

/**
 * One thread that moves bytes for every session of the container: a poll(2) loop over all ptys and pipes
 * plus an eventfd to wake it. All session I/O state is touched only on this thread; other threads hand it
 * work through {@link #execute}. An idle session costs an entry in the poll set, not a thread.
 *
 * <p>Whatever one session's work throws, an Error included (out of direct memory, say), ends that session
 * and nothing else: this thread serves every session of the container.
 */
final class RelayLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(RelayLoop.class.getName());

    private final LibC c = LibC.INSTANCE;
    private final int wakeFd;
    private final Memory wakeBuf = new Memory(8);
    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    /** One buffer for every session's reads and writes that need one: they all happen on this thread. */
    private final Memory scratch = new Memory(jail.session.protocol.Protocol.DATA_CHUNK);
    private final List<SessionRelay> sessions = new ArrayList<>();
    private Memory pollSet = new Memory(64 * 8);

    RelayLoop() {
        try {
            wakeFd = c.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw jail.namespace.SyscallException.of("eventfd", null, e);
        }
    }

    private record Task(SessionRelay session, Runnable work) {}

    /** Runs {@code work} for {@code session} on the loop thread; if it fails, the session is aborted. */
    void execute(SessionRelay session, Runnable work) {
        tasks.add(new Task(session, work));
        wake();
    }

    void add(SessionRelay session) {
        execute(session, () -> sessions.add(session));
    }

    /** The loop thread's scratch buffer (for this thread only). */
    Memory scratch() {
        return scratch;
    }

    private void wake() {
        wakeBuf.setLong(0, 1);
        try {
            c.write(wakeFd, wakeBuf, 8);
        } catch (LastErrorException e) {
            // EAGAIN: the counter is already non-zero, the loop will wake anyway.
        }
    }

    @Override
    public void run() {
        Memory drain = new Memory(8);
        List<SessionRelay.Watch> watches = new ArrayList<>();
        while (true) {
            try {
                turn(drain, watches);
            } catch (Throwable e) { // not one session's: log it and keep serving
                LOG.log(Level.SEVERE, "session I/O loop", e);
            }
        }
    }

    /** One turn: posted tasks, then one poll(2) over every session's fds, then the ready ones. */
    private void turn(Memory drain, List<SessionRelay.Watch> watches) {
        Task task;
        while ((task = tasks.poll()) != null) {
            try {
                task.work().run();
            } catch (Throwable e) {
                task.session().abort(e);
            }
        }
        sessions.removeIf(SessionRelay::finished);

        watches.clear();
        for (SessionRelay s : sessions) {
            try {
                s.collectWatches(watches);
            } catch (Throwable e) {
                s.abort(e);
            }
        }
        // struct pollfd written by hand into native memory: JNA Structure arrays cost far more per call.
        int n = watches.size() + 1;
        if (pollSet.size() < n * 8L) pollSet = new Memory(Math.max(n, 64) * 8L);
        pollSet.setInt(0, wakeFd);
        pollSet.setShort(4, POLLIN);
        pollSet.setShort(6, (short) 0);
        for (int i = 0; i < watches.size(); i++) {
            long off = (i + 1) * 8L;
            pollSet.setInt(off, watches.get(i).fd());
            pollSet.setShort(off + 4, watches.get(i).events());
            pollSet.setShort(off + 6, (short) 0);
        }
        try {
            c.poll(pollSet, n, -1);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINTR) LOG.severe("poll failed: errno " + e.getErrorCode());
            return;
        }
        if (pollSet.getShort(6) != 0) NativeFd.readNonBlocking(wakeFd, drain, 8);
        for (int i = 0; i < watches.size(); i++) {
            short revents = pollSet.getShort((i + 1) * 8L + 6);
            if (revents != 0) {
                SessionRelay.Watch w = watches.get(i);
                try {
                    w.session().onReady(w.fd(), revents);
                } catch (Throwable e) {
                    w.session().abort(e);
                }
            }
        }
    }
}

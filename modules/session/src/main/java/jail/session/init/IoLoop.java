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
 */
final class IoLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(IoLoop.class.getName());

    private final LibC c = LibC.INSTANCE;
    private final int wakeFd;
    private final Memory wakeBuf = new Memory(8);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<SessionIo> sessions = new ArrayList<>();
    private Memory pollSet = new Memory(64 * 8);

    IoLoop() {
        try {
            wakeFd = c.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw jail.namespace.SyscallException.of("eventfd", null, e);
        }
    }

    /** Runs {@code task} on the loop thread. */
    void execute(Runnable task) {
        tasks.add(task);
        wake();
    }

    void add(SessionIo session) {
        execute(() -> sessions.add(session));
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
        List<SessionIo.Watch> watches = new ArrayList<>();
        while (true) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.SEVERE, "session task failed", e);
                }
            }
            sessions.removeIf(SessionIo::finished);

            watches.clear();
            for (SessionIo s : sessions) s.collectWatches(watches);
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
                continue;
            }
            if (pollSet.getShort(6) != 0) NativeFd.readNonBlocking(wakeFd, drain, 8);
            for (int i = 0; i < watches.size(); i++) {
                short revents = pollSet.getShort((i + 1) * 8L + 6);
                if (revents != 0) {
                    SessionIo.Watch w = watches.get(i);
                    try {
                        w.session().onReady(w.fd(), revents);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "session " + w.session().pid() + " I/O failed", e);
                        w.session().abort(e.getMessage());
                    }
                }
            }
        }
    }
}

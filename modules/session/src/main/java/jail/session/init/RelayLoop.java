package jail.session.init;

import jail.namespace.io.EventFd;
import jail.namespace.io.NativeBuffer;
import jail.namespace.io.PollSet;
import jail.session.protocol.Protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    private final EventFd wake = new EventFd();
    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    /** One buffer for every session's reads and writes that need one: they all happen on this thread. */
    private final NativeBuffer scratch = new NativeBuffer(Protocol.DATA_CHUNK);
    private final List<SessionRelay> sessions = new ArrayList<>();
    private final PollSet pollSet = new PollSet();

    private record Task(SessionRelay session, Runnable work) {}

    /** Runs {@code work} for {@code session} on the loop thread; if it fails, the session is aborted. */
    void execute(SessionRelay session, Runnable work) {
        tasks.add(new Task(session, work));
        wake.signal();
    }

    void add(SessionRelay session) {
        execute(session, () -> sessions.add(session));
    }

    /** The loop thread's scratch buffer (for this thread only). */
    NativeBuffer scratch() {
        return scratch;
    }

    @Override
    public void run() {
        List<SessionRelay.Watch> watches = new ArrayList<>();
        while (true) {
            try {
                turn(watches);
            } catch (Throwable e) { // not one session's: log it and keep serving
                LOG.log(Level.SEVERE, "session I/O loop", e);
            }
        }
    }

    /** One turn: posted tasks, then one poll(2) over every session's fds, then the ready ones. */
    private void turn(List<SessionRelay.Watch> watches) {
        Task task;
        while ((task = tasks.poll()) != null) {
            try {
                task.work().run();
            } catch (Throwable e) {
                task.session().abort(e);
            }
        }
        sessions.removeIf(SessionRelay::done);

        watches.clear();
        for (SessionRelay s : sessions) {
            try {
                s.collectWatches(watches);
            } catch (Throwable e) {
                s.abort(e);
            }
        }
        pollSet.clear();
        pollSet.add(wake.fd(), PollSet.IN);
        for (SessionRelay.Watch w : watches) pollSet.add(w.fd(), w.events());
        if (!pollSet.poll(-1)) return; // EINTR
        if (pollSet.revents(0) != 0) wake.drain();
        for (int i = 0; i < watches.size(); i++) {
            short revents = pollSet.revents(i + 1);
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

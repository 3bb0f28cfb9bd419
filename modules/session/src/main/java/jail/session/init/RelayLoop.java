package jail.session.init;

import jail.namespace.io.EventFd;
import jail.namespace.io.NativeBuffer;
import jail.namespace.io.EpollSet;
import jail.namespace.io.Fds;
import jail.session.protocol.Protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread that moves bytes for every session of the container: an epoll(7) loop over all ptys, pipes and
 * client sockets plus an eventfd to wake it. All session I/O state is touched only on this thread; other
 * threads hand it work through {@link #execute}. Each fd stays registered while its session wants it, and a
 * turn re-examines only the sessions that had an event or a task: an idle session costs a registration in
 * the kernel, not work per turn (with poll(2) every frame of a busy session cost a pass over all of them).
 * What a session wishes ({@link SessionRelay#collectWatches}) depends on its own state alone, which only its
 * events and tasks change.
 *
 * <p>Whatever one session's work throws, an Error included (out of direct memory, say), ends that session
 * and nothing else: this thread serves every session of the container.
 */
final class RelayLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(RelayLoop.class.getName());
    /** Events taken per wait; more ready fds are reported by the next one (level-triggered). */
    private static final int EVENTS_PER_WAIT = 256;

    private final EventFd wake = new EventFd();
    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    /** One buffer for every session's reads and writes that need one: they all happen on this thread. */
    private final NativeBuffer scratch = new NativeBuffer(Protocol.DATA_CHUNK);
    private final Set<SessionRelay> sessions = new HashSet<>();
    /** Sessions whose wishes may have changed since they were last registered. */
    private Set<SessionRelay> dirty = new LinkedHashSet<>();
    private Set<SessionRelay> examining = new LinkedHashSet<>();
    private final EpollSet epoll = new EpollSet(EVENTS_PER_WAIT);
    private final WatchTable table = new WatchTable(epoll);

    private record Task(SessionRelay session, Runnable work) {}

    RelayLoop() {
        epoll.add(wake.fd(), EpollSet.IN);
    }

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

    /** Stops watching an fd of a session that its owner is about to close itself (loop thread). */
    void unwatch(int fd) {
        if (fd >= 0) table.forget(fd);
    }

    /** Closes an fd of a session (loop thread): out of the epoll set first, while the number is still its own. */
    void close(int fd) {
        if (fd < 0) return;
        try {
            table.forget(fd);
        } finally {
            Fds.close(fd);
        }
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

    /** One turn: posted tasks, then the touched sessions' watches, then one epoll_wait, then the ready fds. */
    private void turn(List<SessionRelay.Watch> watches) {
        Task task;
        while ((task = tasks.poll()) != null) {
            dirty.add(task.session());
            try {
                task.work().run();
            } catch (Throwable e) {
                task.session().abort(e);
            }
        }
        reexamine(watches);

        int ready = epoll.await(dirty.isEmpty() ? -1 : 0);
        for (int i = 0; i < ready; i++) {
            int fd = epoll.fd(i);
            if (fd == wake.fd()) {
                wake.drain();
                continue;
            }
            SessionRelay.Watch w = table.watching(fd);
            if (w == null) continue; // closed by an earlier event of this batch
            dirty.add(w.session());
            try {
                w.session().onReady(fd, (short) epoll.events(i));
            } catch (Throwable e) {
                w.session().abort(e);
            }
        }
    }

    /** Registers what each touched session wants now, and forgets the sessions that are done. */
    private void reexamine(List<SessionRelay.Watch> watches) {
        Set<SessionRelay> now = dirty;
        dirty = examining;
        examining = now;
        for (SessionRelay s : now) {
            if (!sessions.contains(s)) continue; // done already: a late task (a timer) ran for it
            watches.clear();
            try {
                s.collectWatches(watches); // may find its client lost and finish it
                if (s.done()) {
                    sessions.remove(s);
                    table.drop(s);
                    continue;
                }
                table.update(s, watches);
            } catch (Throwable e) {
                s.abort(e);
                dirty.add(s); // its wishes changed with the abort: again next turn
            }
        }
        now.clear();
    }
}

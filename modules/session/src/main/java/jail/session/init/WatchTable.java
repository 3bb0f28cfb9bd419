package jail.session.init;

import jail.namespace.io.EpollSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the relay loop's epoll set watches: for each fd, the session that asked and with what interest. A
 * session's watches are brought in line with its wishes only when it is re-examined, so an idle session
 * costs nothing per turn. Loop thread only.
 */
final class WatchTable {
    private final EpollSet epoll;
    private final Map<Integer, SessionRelay.Watch> byFd = new HashMap<>();
    private final Map<SessionRelay, List<SessionRelay.Watch>> bySession = new HashMap<>();

    WatchTable(EpollSet epoll) {
        this.epoll = epoll;
    }

    /** The watch an event on {@code fd} is for; null once it was forgotten (its fd closed in this turn). */
    SessionRelay.Watch watching(int fd) {
        return byFd.get(fd);
    }

    /** Makes the set watch exactly {@code wanted} for {@code session}. */
    void update(SessionRelay session, List<SessionRelay.Watch> wanted) {
        List<SessionRelay.Watch> had = bySession.getOrDefault(session, List.of());
        try {
            for (SessionRelay.Watch w : had) {
                if (byFd.get(w.fd()) == w && !wants(wanted, w.fd())) unregister(w.fd());
            }
            for (SessionRelay.Watch w : wanted) {
                SessionRelay.Watch old = byFd.get(w.fd());
                if (old == null) epoll.add(w.fd(), w.events());
                else if (old.events() != w.events()) epoll.modify(w.fd(), w.events());
                byFd.put(w.fd(), w);
            }
        } finally { // also after a failed epoll_ctl: every registration stays findable, so it can be removed
            List<SessionRelay.Watch> mine = new ArrayList<>(wanted.size());
            for (List<SessionRelay.Watch> list : List.of(had, wanted)) {
                for (SessionRelay.Watch w : list) if (byFd.get(w.fd()) == w) mine.add(w);
            }
            if (mine.isEmpty()) bySession.remove(session);
            else bySession.put(session, mine);
        }
    }

    /** Stops watching {@code fd}, which is about to be closed (a copy of its file would keep it registered). */
    void forget(int fd) {
        if (byFd.containsKey(fd)) unregister(fd);
    }

    /** Stops watching everything of a session the loop is done with. */
    void drop(SessionRelay session) {
        List<SessionRelay.Watch> had = bySession.remove(session);
        if (had == null) return;
        for (SessionRelay.Watch w : had) if (byFd.get(w.fd()) == w) unregister(w.fd());
    }

    int size() {
        return byFd.size();
    }

    private void unregister(int fd) {
        byFd.remove(fd); // first: if the kernel refuses, the fd is no longer ours to watch either way
        epoll.remove(fd);
    }

    private static boolean wants(List<SessionRelay.Watch> wanted, int fd) {
        for (SessionRelay.Watch w : wanted) if (w.fd() == fd) return true;
        return false;
    }
}

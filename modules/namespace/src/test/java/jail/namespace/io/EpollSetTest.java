package jail.namespace.io;

import jail.namespace.SyscallException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class EpollSetTest {

    /** fd to events of what one wait returned. */
    private static Map<Integer, Integer> ready(EpollSet set, int timeoutMillis) {
        Map<Integer, Integer> got = new HashMap<>();
        int n = set.await(timeoutMillis);
        for (int i = 0; i < n; i++) got.put(set.fd(i), set.events(i));
        return got;
    }

    @Test
    void reportsWhatIsReadyWithItsFdAndFollowsChangedInterest() {
        int[] p = Pipes.create();
        EventFd wake = new EventFd();
        try (EpollSet set = new EpollSet(8)) {
            set.add(p[0], EpollSet.IN);
            set.add(wake.fd(), EpollSet.IN);
            assertEquals(Map.of(), ready(set, 0), "nothing written yet");

            wake.signal();
            assertEquals(Map.of(wake.fd(), EpollSet.IN), ready(set, 1000));
            assertEquals(Map.of(wake.fd(), EpollSet.IN), ready(set, 0), "level-triggered: ready until drained");
            wake.drain();
            assertEquals(Map.of(), ready(set, 0));

            set.add(p[1], EpollSet.OUT);
            assertEquals(Map.of(p[1], EpollSet.OUT), ready(set, 0), "an empty pipe has room");
            set.modify(p[1], EpollSet.IN);
            assertEquals(Map.of(), ready(set, 0), "the write end never has input");

            NativeBuffer buf = new NativeBuffer(8);
            buf.put(0, "x".getBytes(), 0, 1);
            assertEquals(1, buf.write(p[1], 0, 1));
            assertEquals(Map.of(p[0], EpollSet.IN), ready(set, 1000));
        } finally {
            for (int fd : new int[]{p[0], p[1], wake.fd()}) Fds.close(fd);
        }
    }

    @Test
    void aRemovedFdGivesNoEventEvenWhileACopyKeepsItsFileOpen() {
        int[] p = Pipes.create();
        int copy = Fds.duplicate(p[0]);
        try (EpollSet set = new EpollSet(8)) {
            set.add(p[0], EpollSet.IN);
            set.add(copy, EpollSet.IN);
            set.remove(p[0]);
            Fds.close(p[1]); // hang up: the read ends report HUP even without asking for it
            p[1] = -1;
            assertEquals(Map.of(copy, EpollSet.HUP), ready(set, 1000), "only the fd still in the set");
            set.remove(copy);
            assertEquals(Map.of(), ready(set, 0));
        } finally {
            for (int fd : new int[]{p[0], p[1], copy}) Fds.close(fd);
        }
    }

    @Test
    void moreReadyThanOneWaitTakesAreReportedByTheNext() {
        EventFd[] fds = {new EventFd(), new EventFd(), new EventFd()};
        try (EpollSet set = new EpollSet(2)) {
            for (EventFd e : fds) {
                set.add(e.fd(), EpollSet.IN);
                e.signal();
            }
            Map<Integer, Integer> first = ready(set, 1000);
            assertEquals(2, first.size());
            for (int fd : first.keySet()) drain(fds, fd);
            Map<Integer, Integer> second = ready(set, 1000);
            assertEquals(1, second.size());
            assertFalse(first.containsKey(second.keySet().iterator().next()), "the one left over, not a repeat");
            assertThrows(IndexOutOfBoundsException.class, () -> set.fd(1));
        } finally {
            for (EventFd e : fds) Fds.close(e.fd());
        }
    }

    @Test
    void failuresAreTypedWithTheCallAndTheFd() {
        int[] p = Pipes.create();
        try (EpollSet set = new EpollSet(4)) {
            SyscallException notThere = assertThrows(SyscallException.class, () -> set.modify(p[0], EpollSet.IN));
            assertEquals("epoll_ctl(EPOLL_CTL_MOD)", notThere.call());
            assertEquals("fd " + p[0], notThere.target());
            assertEquals(2, notThere.errno()); // ENOENT
            set.add(p[0], EpollSet.IN);
            SyscallException twice = assertThrows(SyscallException.class, () -> set.add(p[0], EpollSet.IN));
            assertEquals(17, twice.errno()); // EEXIST
        } finally {
            Fds.close(p[0]);
            Fds.close(p[1]);
        }
    }

    private static void drain(EventFd[] fds, int fd) {
        for (EventFd e : fds) if (e.fd() == fd) e.drain();
    }
}

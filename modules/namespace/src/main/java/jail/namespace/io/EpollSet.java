package jail.namespace.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * An epoll(7) instance, level-triggered: each fd is registered once ({@link #add}) and its interest changed
 * only when it changes ({@link #modify}), so a wait costs what is ready, not what is watched. The fd itself
 * is the registration's data: {@link #fd} tells which one an event is for. Remove an fd before closing it:
 * the kernel drops a registration only when the last descriptor of the open file goes, so a closed fd whose
 * file lives on in a copy would go on reporting under a number that may already mean another file.
 *
 * <p>The events are the poll(2) bits ({@link PollSet#IN} etc. have the same values); ERR and HUP are reported
 * whether asked for or not, so an fd with nothing to wait for belongs out of the set.
 */
public final class EpollSet implements AutoCloseable {
    public static final int IN = 0x001;
    public static final int OUT = 0x004;
    public static final int ERR = 0x008;
    public static final int HUP = 0x010;

    /** struct epoll_event is packed on x86-64 (u32 events, u64 data: 12 bytes), naturally aligned elsewhere. */
    private static final int EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
    private static final int DATA_OFFSET = EVENT_SIZE - 8;

    private final int epfd;
    private final Memory one = new Memory(EVENT_SIZE);
    private final Memory ready;
    private final int capacity;
    private int count;

    /** {@code capacity}: the most events one {@link #await} returns (the rest stay ready for the next). */
    public EpollSet(int capacity) {
        try {
            epfd = LibC.epoll_create1(EPOLL_CLOEXEC);
        } catch (LastErrorException e) {
            throw SyscallException.of("epoll_create1", null, e);
        }
        this.capacity = capacity;
        this.ready = new Memory((long) capacity * EVENT_SIZE);
    }

    public void add(int fd, int events) {
        control(EPOLL_CTL_ADD, "EPOLL_CTL_ADD", fd, events);
    }

    public void modify(int fd, int events) {
        control(EPOLL_CTL_MOD, "EPOLL_CTL_MOD", fd, events);
    }

    public void remove(int fd) {
        control(EPOLL_CTL_DEL, "EPOLL_CTL_DEL", fd, 0);
    }

    private void control(int op, String name, int fd, int events) {
        one.setInt(0, events);
        one.setLong(DATA_OFFSET, fd);
        try {
            LibC.epoll_ctl(epfd, op, fd, one);
        } catch (LastErrorException e) {
            throw SyscallException.of("epoll_ctl(" + name + ")", "fd " + fd, e);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: no limit) and returns how many fds are ready (read each with
     * {@link #fd} and {@link #events}); 0 on timeout or when a signal interrupted the wait.
     */
    public int await(int timeoutMillis) {
        try {
            count = LibC.epoll_wait(epfd, ready, capacity, timeoutMillis);
        } catch (LastErrorException e) {
            count = 0;
            if (e.getErrorCode() == EINTR) return 0;
            throw SyscallException.of("epoll_wait", "epoll fd " + epfd, e);
        }
        return count;
    }

    public int fd(int index) {
        return (int) ready.getLong(checked(index) * (long) EVENT_SIZE + DATA_OFFSET);
    }

    public int events(int index) {
        return ready.getInt(checked(index) * (long) EVENT_SIZE);
    }

    private int checked(int index) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException(index);
        return index;
    }

    @Override
    public void close() {
        Fds.close(epfd);
    }
}

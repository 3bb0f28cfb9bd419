package jail.namespace.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** A non-blocking eventfd(2): one thread signals, the thread that polls it wakes and drains it. */
public final class EventFd {
    private final int fd;
    private final Memory one = new Memory(8);
    private final Memory drained = new Memory(8);

    public EventFd() {
        try {
            fd = LibC.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw SyscallException.of("eventfd", null, e);
        }
        one.setLong(0, 1);
    }

    public int fd() {
        return fd;
    }

    /** From any thread. */
    public void signal() {
        try {
            LibC.write(fd, one, 8);
        } catch (LastErrorException e) {
            // EAGAIN: the counter is at its maximum, the poller will wake anyway.
        }
    }

    /** From the polling thread, once it woke. */
    public void drain() {
        try {
            LibC.read(fd, drained, 8);
        } catch (LastErrorException e) {
            // EAGAIN: another drain got it first.
        }
    }
}

package jail.namespace.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.EINTR;

/**
 * A reusable poll(2) set: fill it with {@link #add}, {@link #poll}, then read each entry's {@link #revents}.
 * struct pollfd is written by hand into native memory: JNA Structure arrays cost far more per call.
 */
public final class PollSet {
    public static final short IN = 0x001;
    public static final short OUT = 0x004;
    public static final short ERR = 0x008;
    public static final short HUP = 0x010;
    public static final short NVAL = 0x020;

    private Memory set = new Memory(64 * 8);
    private int count;

    public void clear() {
        count = 0;
    }

    /** Adds an entry and returns its index. */
    public int add(int fd, short events) {
        if (set.size() < (count + 1) * 8L) {
            Memory bigger = new Memory(set.size() * 2);
            bigger.write(0, set.getByteArray(0, count * 8), 0, count * 8);
            set = bigger;
        }
        long off = count * 8L;
        set.setInt(off, fd);
        set.setShort(off + 4, events);
        set.setShort(off + 6, (short) 0);
        return count++;
    }

    public int size() {
        return count;
    }

    /** Waits up to {@code timeoutMillis} (-1: no limit); false when a signal interrupted it (EINTR). */
    public boolean poll(int timeoutMillis) {
        try {
            LibC.poll(set, count, timeoutMillis);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR) return false;
            throw SyscallException.of("poll", count + " fds", e);
        }
    }

    public short revents(int index) {
        return set.getShort(index * 8L + 6);
    }

    public int fd(int index) {
        return set.getInt(index * 8L);
    }

    /** Stops watching an entry (poll(2) skips negative fds). */
    public void disable(int index) {
        set.setInt(index * 8L, -1);
    }
}

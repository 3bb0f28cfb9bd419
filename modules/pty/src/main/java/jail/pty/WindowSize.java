package jail.pty;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** A terminal's size in characters (struct winsize without the unused pixel fields). */
public record WindowSize(int rows, int cols) {
    public static final WindowSize DEFAULT = new WindowSize(24, 80);

    /** TIOCGWINSZ, or null when fd is not a terminal. */
    public static WindowSize of(int fd) {
        try (Memory ws = new Memory(8)) {
            ws.clear();
            LibC.ioctl(fd, TIOCGWINSZ, ws);
            return new WindowSize(Short.toUnsignedInt(ws.getShort(0)), Short.toUnsignedInt(ws.getShort(2)));
        } catch (LastErrorException e) {
            return null;
        }
    }

    /** TIOCSWINSZ on a pty master: the kernel sends SIGWINCH to the foreground process group itself. */
    public void applyTo(int fd) {
        try (Memory ws = new Memory(8)) {
            ws.clear();
            ws.setShort(0, (short) rows);
            ws.setShort(2, (short) cols);
            LibC.ioctl(fd, TIOCSWINSZ, ws);
        } catch (LastErrorException e) {
            throw SyscallException.of("ioctl(TIOCSWINSZ)", "fd " + fd, e);
        }
    }

    /**
     * Asks the program in the foreground of a pty (given its master) to redraw, as a resize would: SIGWINCH to
     * the terminal's foreground process group. TIOCSWINSZ signals only when the size changes, and a client that
     * reattaches at the same size still needs a repaint. False when there is no foreground group.
     */
    public static boolean redraw(int master) {
        com.sun.jna.ptr.IntByReference group = new com.sun.jna.ptr.IntByReference();
        try {
            LibC.ioctl(master, TIOCGPGRP, group);
            return group.getValue() > 0 && jail.namespace.Processes.signal(-group.getValue(), SIGWINCH);
        } catch (LastErrorException e) {
            return false;
        }
    }
}

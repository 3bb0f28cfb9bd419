package jail.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** Other processes by pid: signals and reaping, with their errno handled here once. */
public final class Processes {
    private Processes() {}

    /** Sends {@code signal}; false when the process is already gone (ESRCH) or not ours to signal. */
    public static boolean signal(int pid, int signal) {
        try {
            LibC.kill(pid, signal);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** SIGKILL, for a process that must not outlive a failed start; nothing to do if it is gone. */
    public static void kill(int pid) {
        signal(pid, SIGKILL);
    }

    /** Waits until the child {@code pid} ends (a signal meanwhile is no reason to stop); false if it is no child of ours. */
    public static boolean waitFor(int pid) {
        while (true) {
            try {
                LibC.waitpid(pid, new IntByReference(), 0);
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) return false;
            }
        }
    }

    /** A child that ended, and how. */
    public record Ended(int pid, ExitStatus status) {}

    /**
     * Waits for any child (or traced or cloned one: __WALL) to end; null when there is no child at all
     * (ECHILD). A signal meanwhile is no reason to stop.
     */
    public static Ended waitAny() {
        IntByReference status = new IntByReference();
        while (true) {
            try {
                int pid = LibC.waitpid(-1, status, WALL);
                return new Ended(pid, ExitStatus.fromWaitStatus(status.getValue()));
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ECHILD) return null;
                if (e.getErrorCode() != EINTR) throw SyscallException.of("waitpid", "-1", e);
            }
        }
    }

    /** Collects every child that has ended, without waiting for the others; returns how many. */
    public static int reapEnded() {
        IntByReference status = new IntByReference();
        int reaped = 0;
        while (true) {
            try {
                if (LibC.waitpid(-1, status, WNOHANG) <= 0) return reaped;
                reaped++;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) return reaped; // ECHILD: no children left
            }
        }
    }
}

package jail.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.jna.LibC;

/**
 * setrlimit for a session, applied with prlimit(2) to the freshly spawned shell. posix_spawn cannot set
 * limits in the child, and rlimits are per process (not per thread), so the spawner thread cannot set them
 * for itself without changing the whole init. The shell is still starting up (posix_spawn returns after its
 * exec) when this runs, microseconds later, so its children inherit the limits.
 */
public record ResourceLimits(long nofile, long nproc, long core) {
    private static final int RLIMIT_CORE = 4;
    private static final int RLIMIT_NPROC = 6;
    private static final int RLIMIT_NOFILE = 7;

    public static final ResourceLimits INHERITED = new ResourceLimits(-1, -1, -1);

    public void applyTo(int pid) {
        set(pid, RLIMIT_NOFILE, nofile, "RLIMIT_NOFILE");
        set(pid, RLIMIT_NPROC, nproc, "RLIMIT_NPROC");
        set(pid, RLIMIT_CORE, core, "RLIMIT_CORE");
    }

    private static void set(int pid, int resource, long value, String name) {
        if (value < 0) return;
        try (Memory limit = new Memory(16)) {
            limit.setLong(0, value);
            limit.setLong(8, value);
            LibC.INSTANCE.prlimit(pid, resource, limit, null);
        } catch (LastErrorException e) {
            throw SyscallException.of("prlimit(" + name + ")", "pid " + pid, e);
        }
    }
}

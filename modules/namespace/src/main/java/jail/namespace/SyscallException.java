package jail.namespace;

import com.sun.jna.LastErrorException;

/**
 * A failed system call: which call, on what (a path, an fd, a pid), and the errno. The message is one line
 * fit for a user, e.g. {@code mount(proc, /srv/c/proc): Permission denied (errno 13)}.
 */
public class SyscallException extends RuntimeException {
    private final String call;
    private final String target;
    private final int errno;

    public SyscallException(String call, String target, int errno) {
        super(call + "(" + (target == null ? "" : target) + "): " + Errno.describe(errno) + " (errno " + errno + ")");
        this.call = call;
        this.target = target;
        this.errno = errno;
    }

    public static SyscallException of(String call, Object target, LastErrorException e) {
        return new SyscallException(call, target == null ? null : String.valueOf(target), e.getErrorCode());
    }

    public String call() { return call; }
    public String target() { return target; }
    public int errno() { return errno; }
}

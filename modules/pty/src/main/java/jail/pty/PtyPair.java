package jail.pty;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import jail.namespace.NativeFd;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * A new pseudo-terminal from a devpts instance's ptmx: the master fd (ours) and the slave's path (the
 * session's). Opening the ptmx of the container's own devpts puts the slave at /dev/pts/N inside it.
 */
public final class PtyPair implements AutoCloseable {

    private final int master;
    private final String slavePath;
    private final int number;

    private PtyPair(int master, String slavePath, int number) {
        this.master = master;
        this.slavePath = slavePath;
        this.number = number;
    }

    /** Opens {@code ptsDir}/ptmx, unlocks the slave, and gives its path as {@code ptsDir}/N. */
    public static PtyPair open(String ptsDir) {
        int master = NativeFd.open(ptsDir + "/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        try {
            LibC.ioctl(master, TIOCSPTLCK, new IntByReference(0));
            IntByReference n = new IntByReference();
            LibC.ioctl(master, TIOCGPTN, n);
            return new PtyPair(master, ptsDir + "/" + n.getValue(), n.getValue());
        } catch (LastErrorException e) {
            NativeFd.close(master);
            throw SyscallException.of("ioctl", ptsDir + "/ptmx", e);
        }
    }

    /** Gives the slave to the session's user, so it can open it after dropping root (like grantpt). */
    public void chownSlave(int uid, int gid) {
        try {
            LibC.chown(slavePath, uid, gid);
            LibC.chmod(slavePath, 0620);
        } catch (LastErrorException e) {
            throw SyscallException.of("chown", slavePath, e);
        }
    }

    public int master() {
        return master;
    }

    public String slavePath() {
        return slavePath;
    }

    public int number() {
        return number;
    }

    @Override
    public void close() {
        NativeFd.close(master);
    }
}

package jail.namespace;

import com.sun.jna.LastErrorException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * unshare(2) and setns(2). In a multi-threaded JVM both act on the calling thread only, which is what jail
 * relies on: a throwaway thread changes namespaces, spawns, and dies; the rest of the JVM stays put.
 */
public final class Namespaces {
    /** What a container gets: everything but the network (the host's stack is shared on purpose). */
    public static final int CONTAINER = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;

    private Namespaces() {}

    public static void unshare(int flags) {
        try {
            LibC.unshare(flags);
        } catch (LastErrorException e) {
            throw SyscallException.of("unshare", "0x" + Integer.toHexString(flags), e);
        }
    }

    public static void setns(int fd, int type, String what) {
        try {
            LibC.setns(fd, type);
        } catch (LastErrorException e) {
            throw SyscallException.of("setns", what, e);
        }
    }

    public static void setHostname(String name) {
        try {
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            LibC.sethostname(name, bytes.length);
        } catch (LastErrorException e) {
            throw SyscallException.of("sethostname", name, e);
        }
    }
}

package jail.namespace.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.NativeFd;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import java.nio.charset.StandardCharsets;

import static jail.namespace.jna.Constants.*;

/**
 * A listening unix stream socket (non-blocking, close-on-exec), bound to a name inside a directory given by
 * its fd: bind(2) takes only a path, so the name is bound relative to the calling thread's working directory,
 * which is moved into that directory for the call. The thread must have its own fs_struct (unshare(CLONE_FS),
 * as the init's spawner threads do): the working directory and the umask are then this thread's alone.
 */
public final class UnixListener {
    /** sizeof(struct sockaddr_un): sa_family (2 bytes) and sun_path[108]. */
    private static final int SOCKADDR_UN = 110;

    private int fd;

    private UnixListener(int fd) {
        this.fd = fd;
    }

    /**
     * Binds {@code name} in the directory {@code dirFd} with permission bits {@code mode} (through the umask,
     * so that the socket never exists with wider ones), and listens. {@code returnTo}: the directory the thread
     * goes back to afterwards.
     */
    public static UnixListener bindIn(int dirFd, String name, int mode, int backlog, String returnTo) {
        if (name.contains("/") || name.getBytes(StandardCharsets.UTF_8).length >= SOCKADDR_UN - 2) {
            throw new IllegalArgumentException("bad socket name: " + name);
        }
        int sock;
        try {
            sock = LibC.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SyscallException.of("socket", name, e);
        }
        int oldMask = LibC.umask(~mode & 0777);
        try (Memory addr = address(name)) {
            LibC.fchdir(dirFd);
            LibC.bind(sock, addr, SOCKADDR_UN);
            LibC.listen(sock, backlog);
            return new UnixListener(sock);
        } catch (LastErrorException e) {
            NativeFd.close(sock);
            throw SyscallException.of("bind", name, e);
        } finally {
            LibC.umask(oldMask);
            try {
                LibC.chdir(returnTo);
            } catch (LastErrorException e) {
                // the thread's directory stays the socket's: nothing runs relative to it
            }
        }
    }

    private static Memory address(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SOCKADDR_UN - 2) throw new IllegalArgumentException("socket path too long: " + path);
        Memory addr = new Memory(SOCKADDR_UN);
        addr.clear();
        addr.setShort(0, (short) AF_UNIX);
        addr.write(2, bytes, 0, bytes.length);
        return addr;
    }

    public int fd() {
        return fd;
    }

    /** A new connection (non-blocking, close-on-exec), or -1 when none is waiting. */
    public int accept() {
        try {
            return LibC.accept4(fd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            // Nothing waiting, or a peer that gave up before we took it: try again at the next readiness.
            if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) return -1;
            throw SyscallException.of("accept4", "fd " + fd, e);
        }
    }

    public void close() {
        NativeFd.close(fd);
        fd = -1;
    }
}

package jail.namespace.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import java.nio.charset.StandardCharsets;

import static jail.namespace.jna.Constants.*;

/** Unix stream sockets as plain fds: connecting (the client), shutting down the write side, buffer sizes. */
public final class UnixSocket {
    private static final int SUN_PATH = 108;

    private UnixSocket() {}

    /** Connects a blocking, close-on-exec socket to {@code path}; the errno says why not (ENOENT, ECONNREFUSED...). */
    public static int connect(String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH) throw new SyscallException("connect", path, ENAMETOOLONG);
        int fd;
        try {
            fd = LibC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SyscallException.of("socket", path, e);
        }
        try (Memory addr = new Memory(2 + SUN_PATH)) {
            addr.clear();
            addr.setShort(0, (short) AF_UNIX);
            addr.write(2, name, 0, name.length);
            while (true) {
                try {
                    LibC.connect(fd, addr, 2 + name.length + 1);
                    return fd;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) throw SyscallException.of("connect", path, e);
                }
            }
        } catch (SyscallException e) {
            Fds.close(fd);
            throw e;
        }
    }

    /** shutdown(SHUT_WR): the peer reads what was sent, then end of file. */
    public static void shutdownOutput(int fd) {
        try {
            LibC.shutdown(fd, SHUT_WR);
        } catch (LastErrorException e) {
            // ENOTCONN: the peer is gone already; nothing left to tell it.
        }
    }

    /**
     * The send buffer (the kernel doubles it): SO_SNDBUFFORCE where we may (CAP_NET_ADMIN: root's init), else
     * SO_SNDBUF, which net.core.wmem_max caps (212992 on a default Debian). Returns what the kernel gave.
     */
    public static int sendBuffer(int fd, int bytes) {
        try {
            LibC.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, new IntByReference(bytes), 4);
            return bufferSize(fd, SO_SNDBUF, 0);
        } catch (LastErrorException e) {
            return bufferSize(fd, SO_SNDBUF, bytes);
        }
    }

    private static int bufferSize(int fd, int option, int bytes) {
        try {
            if (bytes > 0) LibC.setsockopt(fd, SOL_SOCKET, option, new IntByReference(bytes), 4);
            IntByReference got = new IntByReference();
            LibC.getsockopt(fd, SOL_SOCKET, option, got, new IntByReference(4));
            return got.getValue();
        } catch (LastErrorException e) {
            throw SyscallException.of("setsockopt", "fd " + fd, e);
        }
    }

    /** Writes all of {@code bytes} to a blocking fd. */
    public static void writeFully(int fd, byte[] bytes, int off, int len) {
        int done = 0;
        while (done < len) {
            try {
                done += (int) LibC.write(fd, slice(bytes, off + done, len - done), len - done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) throw SyscallException.of("write", "fd " + fd, e);
            }
        }
    }

    private static byte[] slice(byte[] bytes, int off, int len) {
        return off == 0 && len == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, off, off + len);
    }

    /** Reads exactly {@code len} bytes from a blocking fd into {@code into}; false at end of file first. */
    public static boolean readFully(int fd, NativeBuffer into, int len) {
        int done = 0;
        while (done < len) {
            int n = into.read(fd, done, len - done);
            if (n < 0) return false;
            done += n;
        }
        return true;
    }
}

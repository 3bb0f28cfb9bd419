package jail.namespace.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/** Memory outside the Java heap that fds are read into and written from without a copy on our side. */
public final class NativeBuffer {
    private final Memory memory;

    public NativeBuffer(int size) {
        memory = new Memory(size);
    }

    public int size() {
        return (int) memory.size();
    }

    /**
     * Reads up to {@code len} bytes into the buffer at {@code offset}: the count, 0 when a non-blocking fd has
     * nothing now, -1 at end of file (EIO on a pty master, whose slave side is all closed, counts as its end).
     */
    public int read(int fd, int offset, int len) {
        try {
            long n = LibC.read(fd, memory.share(offset), len);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return 0;
            if (e.getErrorCode() == EIO) return -1;
            throw SyscallException.of("read", "fd " + fd, e);
        }
    }

    /** Writes what the fd takes now from {@code offset}; 0 when a non-blocking fd is full. */
    public int write(int fd, int offset, int len) {
        try {
            return (int) LibC.write(fd, memory.share(offset), len);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return 0;
            throw SyscallException.of("write", "fd " + fd, e);
        }
    }

    public void put(int offset, byte[] bytes, int from, int len) {
        memory.write(offset, bytes, from, len);
    }

    public void putByte(int offset, byte b) {
        memory.setByte(offset, b);
    }

    /** A big-endian int, as the wire protocol writes them. */
    public void putIntBigEndian(int offset, int value) {
        memory.setInt(offset, java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN ? value
                : Integer.reverseBytes(value));
    }

    public byte[] get(int offset, int len) {
        return memory.getByteArray(offset, len);
    }

    /** A view of the bytes for Java code that reads them in place (valid while this buffer lives). */
    public java.nio.ByteBuffer view(int offset, int len) {
        return memory.getByteBuffer(offset, len);
    }
}

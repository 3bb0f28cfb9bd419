package jail.namespace.logins;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One record of lastlog ({@code struct lastlog}: 32-bit time, line[32], host[256]; 292 bytes), found at
 * uid × 292 in the (sparse) file, as login(1) and sshd write it.
 */
public record LastlogEntry(long seconds, String line, String host) {
    public static final int SIZE = 292;

    public static long offsetOf(int uid) {
        return Integer.toUnsignedLong(uid) * SIZE;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, (int) seconds);
        byte[] l = line.getBytes(StandardCharsets.UTF_8);
        b.put(4, l, 0, Math.min(32, l.length));
        byte[] h = host.getBytes(StandardCharsets.UTF_8);
        b.put(36, h, 0, Math.min(256, h.length));
        return b.array();
    }
}

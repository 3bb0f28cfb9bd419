package jail.namespace.logins;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One record of utmp and wtmp in glibc's x86_64 layout ({@code struct utmp}, 384 bytes, little-endian), the
 * layout who, w, last and busybox read. Strings are fixed-size fields, NUL-padded, cut (not terminated) when
 * full, as glibc writes them.
 *
 * @param line the tty without "/dev/" ("pts/3"), or "~" for a boot record
 * @param id   the last four characters of the line, as sshd and login(1) make it
 * @param addr the origin's address (4 bytes for IPv4, 16 for IPv6), or empty
 */
public record UtmpEntry(short type, int pid, String line, String id, String user, String host, long seconds,
                        int micros, byte[] addr) {
    public static final int SIZE = 384;
    public static final short BOOT_TIME = 2;
    public static final short USER_PROCESS = 7;
    public static final short DEAD_PROCESS = 8;

    private static final int LINE = 8, ID = 40, USER = 44, HOST = 76, TV = 340, ADDR = 348;
    private static final int LINE_SIZE = 32, ID_SIZE = 4, USER_SIZE = 32, HOST_SIZE = 256;

    public UtmpEntry {
        addr = addr == null ? new byte[0] : addr.clone();
        if (addr.length != 0 && addr.length != 4 && addr.length != 16) throw new IllegalArgumentException("address of " + addr.length + " bytes");
    }

    /** A user's login on {@code tty} ("/dev/pts/3"). */
    public static UtmpEntry login(int pid, String tty, String user, String host, byte[] addr, Instant at) {
        String line = lineOf(tty);
        return new UtmpEntry(USER_PROCESS, pid, line, idOf(line), user, host, at.getEpochSecond(), at.getNano() / 1000, addr);
    }

    /** The end of the session on that line: user and host cleared, as glibc's logout() and logwtmp() write it. */
    public UtmpEntry loggedOut(Instant at) {
        return new UtmpEntry(DEAD_PROCESS, pid, line, id, "", "", at.getEpochSecond(), at.getNano() / 1000, new byte[0]);
    }

    /** The "reboot" record an init writes when it starts: {@code last} shows it as "system boot". */
    public static UtmpEntry boot(Instant at) {
        return new UtmpEntry(BOOT_TIME, 0, "~", "~~", "reboot", "", at.getEpochSecond(), at.getNano() / 1000, new byte[0]);
    }

    public static String lineOf(String tty) {
        return tty.startsWith("/dev/") ? tty.substring(5) : tty;
    }

    static String idOf(String line) {
        return line.length() > ID_SIZE ? line.substring(line.length() - ID_SIZE) : line;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, type);
        b.putInt(4, pid);
        put(b, LINE, LINE_SIZE, line);
        put(b, ID, ID_SIZE, id);
        put(b, USER, USER_SIZE, user);
        put(b, HOST, HOST_SIZE, host);
        b.putInt(TV, (int) seconds); // glibc keeps 32-bit times in utmp on x86_64 (y2038 is glibc's to solve)
        b.putInt(TV + 4, micros);
        b.put(ADDR, addr);
        return b.array();
    }

    public static UtmpEntry decode(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        byte[] addr = new byte[16];
        b.get(ADDR, addr);
        boolean v4 = Arrays.equals(Arrays.copyOfRange(addr, 4, 16), new byte[12]);
        return new UtmpEntry(b.getShort(0), b.getInt(4), get(b, LINE, LINE_SIZE), get(b, ID, ID_SIZE),
                get(b, USER, USER_SIZE), get(b, HOST, HOST_SIZE), Integer.toUnsignedLong(b.getInt(TV)), b.getInt(TV + 4),
                Arrays.equals(addr, new byte[16]) ? new byte[0] : v4 ? Arrays.copyOf(addr, 4) : addr);
    }

    private static void put(ByteBuffer b, int at, int size, String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        b.put(at, v, 0, Math.min(size, v.length));
    }

    private static String get(ByteBuffer b, int at, int size) {
        byte[] v = new byte[size];
        b.get(at, v);
        int n = 0;
        while (n < size && v[n] != 0) n++;
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UtmpEntry e && type == e.type && pid == e.pid && line.equals(e.line) && id.equals(e.id)
                && user.equals(e.user) && host.equals(e.host) && seconds == e.seconds && micros == e.micros
                && Arrays.equals(addr, e.addr);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[]{type, pid, line, id, user, host, seconds, micros}) * 31 + Arrays.hashCode(addr);
    }

    @Override
    public byte[] addr() {
        return addr.clone();
    }
}

package jail.namespace.logins;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** glibc's x86_64 struct utmp, field by field: the offsets who, w and last read. */
class UtmpEntryTest {
    private static final Instant AT = Instant.ofEpochSecond(1_700_000_000L, 123_456_000);

    @Test
    void aLoginIsLaidOutAsGlibcReadsIt() {
        byte[] b = UtmpEntry.login(4242, "/dev/pts/13", "work", "192.0.2.7", new byte[]{(byte) 192, 0, 2, 7}, AT).encode();
        assertEquals(384, b.length);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7, le.getShort(0), "ut_type USER_PROCESS");
        assertEquals(4242, le.getInt(4), "ut_pid");
        assertEquals("pts/13", text(b, 8, 32), "ut_line");
        assertEquals("s/13", text(b, 40, 4), "ut_id: the line's last four characters, as sshd");
        assertEquals("work", text(b, 44, 32), "ut_user");
        assertEquals("192.0.2.7", text(b, 76, 256), "ut_host");
        assertEquals(1_700_000_000, le.getInt(340), "ut_tv.tv_sec");
        assertEquals(123_456, le.getInt(344), "ut_tv.tv_usec");
        assertArrayEquals(new byte[]{(byte) 192, 0, 2, 7}, Arrays.copyOfRange(b, 348, 352), "ut_addr_v6[0]");
    }

    @Test
    void aLogoutKeepsLineAndIdAndClearsUserAndHost() {
        UtmpEntry login = UtmpEntry.login(7, "/dev/pts/2", "work", "::1", new byte[16], AT);
        UtmpEntry dead = UtmpEntry.decode(login.loggedOut(AT.plusSeconds(5)).encode(), 0);
        assertEquals(UtmpEntry.DEAD_PROCESS, dead.type());
        assertEquals("pts/2", dead.line());
        assertEquals(login.id(), dead.id());
        assertEquals("", dead.user());
        assertEquals("", dead.host());
        assertEquals(AT.getEpochSecond() + 5, dead.seconds());
    }

    @Test
    void fullFieldsAreCutNotOverrun() {
        String longUser = "u".repeat(40);
        byte[] b = UtmpEntry.login(1, "/dev/pts/1", longUser, "h".repeat(300), new byte[0], AT).encode();
        assertEquals("u".repeat(32), text(b, 44, 32));
        assertEquals('h', (char) b[76 + 255]);
        assertEquals(0, b[332], "the field after ut_host is untouched");
    }

    @Test
    void decodeRoundTrips() {
        UtmpEntry e = UtmpEntry.login(99, "/dev/pts/0", "work", "2001:db8::1", new byte[]{32, 1, 13, (byte) 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, AT);
        assertEquals(e, UtmpEntry.decode(e.encode(), 0));
        UtmpEntry boot = UtmpEntry.boot(AT);
        assertEquals(boot, UtmpEntry.decode(boot.encode(), 0));
        assertEquals(UtmpEntry.BOOT_TIME, boot.type());
        assertEquals("reboot", boot.user());
    }

    @Test
    void lastlogRecordsSitAtUidTimesTheirSize() {
        assertEquals(61700L * 292, LastlogEntry.offsetOf(61700));
        byte[] b = new LastlogEntry(1_700_000_000L, "pts/4", "192.0.2.7").encode();
        assertEquals(292, b.length);
        assertEquals(1_700_000_000, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals("pts/4", text(b, 4, 32));
        assertEquals("192.0.2.7", text(b, 36, 256));
    }

    private static String text(byte[] b, int at, int size) {
        int n = 0;
        while (n < size && b[at + n] != 0) n++;
        return new String(b, at, n, StandardCharsets.US_ASCII);
    }
}

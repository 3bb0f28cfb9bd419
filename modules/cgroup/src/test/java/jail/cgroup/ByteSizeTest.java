package jail.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteSizeTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
            "1048576 = 1048576",
            "0       = 0",
            "64k     = 65536",
            "64K     = 65536",
            "512M    = 536870912",
            "512m    = 536870912",
            "512MB   = 536870912",
            "512MiB  = 536870912",
            "1G      = 1073741824",
            "2GiB    = 2147483648",
            "2gib    = 2147483648",
            "1T      = 1099511627776",
            "3TB     = 3298534883328",
            "100B    = 100",
            "512 M   = 536870912",
            "512  MB = 536870912",
            "' 1G '  = 1073741824",
            "8388607T = 9223370937343148032",
    })
    void parses(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"12X", "", "M", "-1", "1.5G", "1,5G", "0x10", "1 G B", "1iB", "1KK", "1GiBs", "ten", "1e6"})
    void rejectsWhatIsNotASize(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertEquals("'" + text + "' is not a size: use a number with an optional K, M, G or T suffix", e.getMessage());
    }

    @Test
    void theMessageNamesTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("12X"));
        assertEquals("'12X' is not a size: use a number with an optional K, M, G or T suffix", e.getMessage());
    }

    @Test
    void rejectsWhatDoesNotFitInALong() {
        assertEquals("'8388608T' is too large a size",
                assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("8388608T")).getMessage());
        assertEquals("'99999999999999999999' is too large a size",
                assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999999999999")).getMessage());
        assertEquals(Long.MAX_VALUE, ByteSize.parse(Long.toString(Long.MAX_VALUE)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 0", "1, 1", "1536, 1536", "2048, 2K", "536870912, 512M", "1073741824, 1G", "3221225472, 3G",
            "1099511627776, 1T", "1100585369600, 1025G"})
    void formatsWithTheLargestExactUnit(long bytes, String text) {
        assertEquals(text, ByteSize.format(bytes));
        assertEquals(bytes, ByteSize.parse(text));
    }
}

package jail.cli.jaild;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UidGidTest {
    private final UidGid.Converter converter = new UidGid.Converter();

    private void assertRejected(String value, String message) {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> converter.convert(value));
        assertEquals(message, e.getMessage());
    }

    @Test
    void uidAlone() {
        UidGid u = converter.convert("61000");
        assertEquals(61000, u.uid());
        assertNull(u.gid(), "the gid then comes from ROOTDIR/etc/passwd");
    }

    @Test
    void uidAndGid() {
        assertEquals(new UidGid(61000, 61001), converter.convert("61000:61001"));
        assertEquals(new UidGid(0, 0), converter.convert("0:0"));
    }

    @Test
    void largestValues() {
        assertEquals(new UidGid(Integer.MAX_VALUE, Integer.MAX_VALUE), converter.convert("2147483647:2147483647"));
    }

    @Test
    void badUid() {
        assertRejected("abc", "'abc' is not a valid UID (expected UID or UID:GID, numbers)");
        assertRejected("", "'' is not a valid UID (expected UID or UID:GID, numbers)");
        assertRejected("-1", "'-1' is not a valid UID (expected UID or UID:GID, numbers)");
        assertRejected("2147483648", "'2147483648' is not a valid UID (expected UID or UID:GID, numbers)");
        assertRejected(":5", "':5' is not a valid UID (expected UID or UID:GID, numbers)");
        assertRejected(" 5", "' 5' is not a valid UID (expected UID or UID:GID, numbers)");
        assertRejected("alice:100", "'alice:100' is not a valid UID (expected UID or UID:GID, numbers)");
    }

    @Test
    void badGid() {
        assertRejected("5:", "'5:' is not a valid GID (expected UID or UID:GID, numbers)");
        assertRejected("5:users", "'5:users' is not a valid GID (expected UID or UID:GID, numbers)");
        assertRejected("5:-2", "'5:-2' is not a valid GID (expected UID or UID:GID, numbers)");
        assertRejected("5:99999999999", "'5:99999999999' is not a valid GID (expected UID or UID:GID, numbers)");
    }

    @Test
    void tooManyParts() {
        assertRejected("1:2:3", "'1:2:3' is not UID or UID:GID");
        assertRejected("::", "'::' is not UID or UID:GID");
    }
}

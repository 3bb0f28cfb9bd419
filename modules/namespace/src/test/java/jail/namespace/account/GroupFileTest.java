package jail.namespace.account;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupFileTest {
    private static final String SRC = "/srv/c/etc/group";

    private static GroupFile parse(String text) {
        return GroupFile.parse(text, SRC);
    }

    private static void assertRejected(String text, String message) {
        AccountFileException e = assertThrows(AccountFileException.class, () -> parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void parsesNameGidAndMembers() {
        GroupFile f = parse("wheel:x:10:alice,bob\nusers:x:100:\n");
        assertEquals(List.of(new GroupEntry("wheel", 10, List.of("alice", "bob")), new GroupEntry("users", 100, List.of())),
                f.entries());
    }

    @Test
    void membersAreTrimmedAndEmptyOnesDropped() {
        GroupEntry e = parse("g:x:5: alice , ,bob,,\n").entries().getFirst();
        assertEquals(List.of("alice", "bob"), e.members());
    }

    @Test
    void commentsBlankLinesAndNisLinesAreSkipped() {
        GroupFile f = parse("""
                # groups
                root:x:0:

                +
                +@netgroup:::
                -staff
                +:::
                audio:x:29:alice
                """);
        assertEquals(List.of("root", "audio"), f.entries().stream().map(GroupEntry::name).toList());
    }

    @Test
    void wrongFieldCountNamesFileAndLine() {
        assertRejected("root:x:0:\n\nbad:x:1\n", SRC + ":3: expected 4 fields, found 3");
        assertRejected("root:x:0:a:b\n", SRC + ":1: expected 4 fields, found 5");
        assertRejected("nocolons\n", SRC + ":1: expected 4 fields, found 1");
    }

    @Test
    void badGidNamesFileLineAndValue() {
        assertRejected("a:x:1:\nb:x:x1:\n", SRC + ":2: 'x1' is not a valid id");
        assertRejected("b:x::\n", SRC + ":1: '' is not a valid id");
        assertRejected("b:x:-5:\n", SRC + ":1: '-5' is not a valid id");
        assertRejected("b:x:4294967295:\n", SRC + ":1: '4294967295' is not a valid id");
    }

    @Test
    void byGidFirstEntryWins() {
        GroupFile f = parse("first:x:100:\nsecond:x:100:alice\n");
        assertEquals("first", f.byGid(100).orElseThrow().name());
        assertTrue(f.byGid(101).isEmpty());
    }

    @Test
    void groupsOfStartsWithThePrimaryGidThenFileOrder() {
        GroupFile f = parse("""
                adm:x:4:alice
                users:x:100:bob
                sudo:x:27:carol,alice
                audio:x:29:alice
                """);
        assertArrayEquals(new int[]{1000, 4, 27, 29}, f.groupsOf("alice", 1000));
        assertArrayEquals(new int[]{1001, 100}, f.groupsOf("bob", 1001));
        assertArrayEquals(new int[]{500}, f.groupsOf("dave", 500));
    }

    @Test
    void groupsOfHasNoDuplicates() {
        GroupFile f = parse("""
                alice:x:1000:alice
                adm:x:4:alice,alice
                adm2:x:4:alice
                video:x:44:alice
                """);
        // the primary group lists alice too, and gid 4 occurs twice
        assertArrayEquals(new int[]{1000, 4, 44}, f.groupsOf("alice", 1000));
    }

    @Test
    void groupsOfPrimaryStaysFirstEvenIfListedLater() {
        GroupFile f = parse("a:x:10:u\nb:x:20:u\n");
        assertArrayEquals(new int[]{20, 10}, f.groupsOf("u", 20));
    }

    @Test
    void groupsOfMatchesWholeNamesOnly() {
        GroupFile f = parse("g1:x:10:alice2\ng2:x:20:Alice\ng3:x:30:ali\ng4:x:40: alice \n");
        assertArrayEquals(new int[]{1, 40}, f.groupsOf("alice", 1));
    }

    @Test
    void emptyFile() {
        assertTrue(parse("").entries().isEmpty());
        assertArrayEquals(new int[]{7}, parse("").groupsOf("x", 7));
    }
}

package jail.namespace.account;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswdFileTest {
    private static final String SRC = "/srv/c/etc/passwd";

    private static PasswdFile parse(String text) {
        return PasswdFile.parse(text, SRC);
    }

    private static void assertRejected(String text, String message) {
        AccountFileException e = assertThrows(AccountFileException.class, () -> parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void parsesEveryField() {
        PasswdFile f = parse("alice:x:1000:1001:Alice Liddell,,,:/home/alice:/bin/bash\n");
        assertEquals(List.of(new PasswdEntry("alice", 1000, 1001, "Alice Liddell,,,", "/home/alice", "/bin/bash")),
                f.entries());
    }

    @Test
    void typicalFile() {
        PasswdFile f = parse("""
                root:x:0:0:root:/root:/bin/bash
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                jail:x:61000:61000::/home/jail:/bin/bash
                """);
        assertEquals(4, f.entries().size());
        assertEquals("jail", f.byUid(61000).orElseThrow().name());
        assertEquals("/home/jail", f.byUid(61000).orElseThrow().home());
        assertEquals(65534, f.byName("nobody").orElseThrow().gid());
        assertEquals(0, f.byName("root").orElseThrow().uid());
        assertTrue(f.byUid(4242).isEmpty());
        assertTrue(f.byName("mallory").isEmpty());
    }

    @Test
    void commentsBlankLinesAndNisLinesAreSkipped() {
        PasswdFile f = parse("""
                # the system accounts
                root:x:0:0:root:/root:/bin/bash

                   \t
                +
                +@netgroup::::::
                -baduser
                -@admins:x:::::
                +:::::::
                #nobody:x:65534:65534::/:/bin/false
                bob:x:1002:1002::/home/bob:/bin/sh
                """);
        assertEquals(List.of("root", "bob"), f.entries().stream().map(PasswdEntry::name).toList());
        assertTrue(f.byUid(65534).isEmpty(), "a commented-out line is not an entry");
    }

    @Test
    void emptyFileHasNoEntries() {
        assertTrue(parse("").entries().isEmpty());
        assertTrue(parse("\n\n# only comments\n").entries().isEmpty());
    }

    @Test
    void lastLineWithoutNewline() {
        assertEquals(1002, parse("a:x:1:1::/:/bin/sh\nbob:x:1002:1002::/home/bob:/bin/sh").byName("bob").orElseThrow().uid());
    }

    @Test
    void tooFewFieldsNamesFileAndLine() {
        assertRejected("root:x:0:0:root:/root:/bin/bash\n# c\nalice:x:1000:1000:/home/alice:/bin/bash\n",
                SRC + ":3: expected 7 fields, found 6");
    }

    @Test
    void tooManyFieldsNamesFileAndLine() {
        assertRejected("alice:x:1000:1000::/home/alice:/bin/bash:extra\n", SRC + ":1: expected 7 fields, found 8");
    }

    @Test
    void trailingEmptyFieldsCount() {
        assertRejected("alice:x:1000:1000:::\n:", SRC + ":2: expected 7 fields, found 2");
        assertRejected("alice:x:1000:1000:::::\n", SRC + ":1: expected 7 fields, found 9");
    }

    @Test
    void lineWithoutColons() {
        assertRejected("\n\njunk\n", SRC + ":3: expected 7 fields, found 1");
    }

    @Test
    void badUidNamesFileLineAndValue() {
        assertRejected("a:x:0:0::/:/bin/sh\nalice:x:abc:1000::/home/alice:/bin/bash\n",
                SRC + ":2: 'abc' is not a valid id");
    }

    @Test
    void badGid() {
        assertRejected("alice:x:1000:1k::/home/alice:/bin/bash\n", SRC + ":1: '1k' is not a valid id");
    }

    @Test
    void emptyId() {
        assertRejected("alice:x::1000::/home/alice:/bin/bash\n", SRC + ":1: '' is not a valid id");
    }

    @Test
    void negativeAndOutOfRangeIds() {
        assertRejected("a:x:-1:0::/:/bin/sh\n", SRC + ":1: '-1' is not a valid id");
        // (uid_t) -1 is "no user" in the kernel's interfaces: never a valid account.
        assertRejected("a:x:4294967295:0::/:/bin/sh\n", SRC + ":1: '4294967295' is not a valid id");
        assertRejected("a:x:0:4294967296::/:/bin/sh\n", SRC + ":1: '4294967296' is not a valid id");
        assertRejected("a:x:99999999999999999999:0::/:/bin/sh\n", SRC + ":1: '99999999999999999999' is not a valid id");
    }

    @Test
    void largestIdIsAccepted() {
        PasswdEntry e = parse("big:x:4294967294:4294967294::/:/bin/sh\n").entries().getFirst();
        assertEquals(0xFFFFFFFE, e.uid(), "stored as the unsigned 32-bit value");
        assertEquals(-2, e.gid());
        assertEquals("big", parse("big:x:4294967294:0::/:/bin/sh\n").byUid(-2).orElseThrow().name());
    }

    @Test
    void idsAroundWhitespaceAreTrimmed() {
        PasswdEntry e = parse("a:x: 1000 :\t1000::/h:/bin/sh\n").entries().getFirst();
        assertEquals(1000, e.uid());
        assertEquals(1000, e.gid());
    }

    @Test
    void firstEntryForAUidWins() {
        PasswdFile f = parse("""
                first:x:1000:1000::/home/first:/bin/bash
                second:x:1000:2000::/home/second:/bin/zsh
                """);
        assertEquals("first", f.byUid(1000).orElseThrow().name());
        assertEquals(1000, f.byUid(1000).orElseThrow().gid());
        assertEquals(2, f.entries().size());
    }

    @Test
    void firstEntryForANameWins() {
        PasswdFile f = parse("""
                alice:x:1000:1000::/home/alice:/bin/bash
                alice:x:0:0::/root:/bin/bash
                """);
        assertEquals(1000, f.byName("alice").orElseThrow().uid());
    }

    @Test
    void emptyShellMeansBinSh() {
        PasswdEntry e = parse("alice:x:1000:1000::/home/alice:\n").entries().getFirst();
        assertEquals("", e.shell());
        assertEquals("/bin/sh", e.loginShell());
        assertEquals("/bin/zsh", new PasswdEntry("b", 1, 1, "", "/", "/bin/zsh").loginShell());
    }

    @Test
    void emptyGecosAndPasswordFieldsAreFine() {
        PasswdEntry e = parse("alice::1000:1000:::/bin/sh\n").entries().getFirst();
        assertEquals("", e.gecos());
        assertEquals("", e.home());
    }

    @Test
    void entriesAreUnmodifiable() {
        PasswdFile f = parse("a:x:1:1::/:/bin/sh\n");
        assertThrows(UnsupportedOperationException.class, () -> f.entries().clear());
    }
}

package jail.cli.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JailArgumentsTest {

    private static JailArguments parse(String... args) {
        return JailArguments.parse(args);
    }

    private static void assertRejected(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void noArgumentsIsALoginShell() {
        assertEquals(new JailArguments(null, true, null, false, false, false, null), parse());
    }

    @Test
    void dashCRunsACommandWithoutLogin() {
        JailArguments a = parse("-c", "ls -l /tmp");
        assertEquals("ls -l /tmp", a.command());
        assertFalse(a.login());
        assertNull(a.uid());
    }

    @Test
    void commandIsTakenVerbatimEvenIfItLooksLikeAnOption() {
        assertEquals("--uid", parse("-c", "--uid").command());
        assertEquals("", parse("-c", "").command());
        assertEquals("-l", parse("-c", "-l").command());
    }

    @Test
    void dashLIsLogin() {
        assertTrue(parse("-l").login());
        assertTrue(parse("--login").login());
        assertNull(parse("-l").command());
    }

    @Test
    void loginWithCommand() {
        JailArguments a = parse("-l", "-c", "id");
        assertTrue(a.login());
        assertEquals("id", a.command());
    }

    @Test
    void dashIIsIgnored() {
        assertEquals(parse(), parse("-i"));
        assertEquals(parse("-c", "x"), parse("-i", "-c", "x"));
        assertEquals(parse("-l"), parse("-i", "-l", "-i"));
    }

    @Test
    void uidPicksAContainer() {
        JailArguments a = parse("--uid", "61000");
        assertEquals(61000, a.uid());
        assertTrue(a.login());
        assertNull(a.command());
        assertEquals(0, parse("--uid", "0").uid());
        JailArguments b = parse("--uid", "1000", "-c", "whoami");
        assertEquals(1000, b.uid());
        assertEquals("whoami", b.command());
    }

    @Test
    void help() {
        assertTrue(parse("-h").help());
        assertTrue(parse("--help").help());
        assertTrue(parse("-l", "--help", "--bogus").help(), "help stops parsing");
        assertFalse(parse().help());
    }

    @Test
    void version() {
        assertTrue(parse("--version").version());
        assertFalse(parse("--version").help());
    }

    @Test
    void dashCWithoutACommand() {
        assertRejected("option -c needs a COMMAND", "-c");
        assertRejected("option -c needs a COMMAND", "-l", "-c");
    }

    @Test
    void unknownOption() {
        assertRejected("unknown option -x", "-x");
        assertRejected("unknown option --uid=5", "--uid=5");
        assertRejected("unknown option -lc", "-lc");
    }

    @Test
    void unexpectedArgument() {
        assertRejected("unexpected argument foo", "foo");
        assertRejected("unexpected argument ls", "-l", "ls");
    }

    @Test
    void extraArgumentsAfterDashCCommand() {
        assertRejected("unexpected argument after -c COMMAND: bar", "-c", "foo", "bar");
        assertRejected("unexpected argument after -c COMMAND: -l", "-c", "foo", "-l");
    }

    @Test
    void uidWithoutAValue() {
        assertRejected("option --uid needs a UID", "--uid");
    }

    @Test
    void badUid() {
        assertRejected("'abc' is not a valid uid", "--uid", "abc");
        assertRejected("'-1' is not a valid uid", "--uid", "-1");
        assertRejected("'' is not a valid uid", "--uid", "");
        assertRejected("'1.5' is not a valid uid", "--uid", "1.5");
        assertRejected("'4294967296' is not a valid uid", "--uid", "4294967296");
    }

    @Test
    void usageMentionsEveryOption() {
        for (String option : new String[]{"-c COMMAND", "-l, --login", "--uid UID", "-h, --help", "--version", "-e CHAR"}) {
            assertTrue(JailArguments.USAGE.contains(option), option);
        }
        assertTrue(JailArguments.USAGE.startsWith("Usage: jail [-l] [-c COMMAND] [-e CHAR|none] [--uid UID]\n"));
        assertTrue(JailArguments.USAGE.contains("Enter ~ d"), "the detach key is in the help");
        assertTrue(JailArguments.USAGE.contains("jail attach [ID]"));
    }

    @Test
    void escapeCharacter() {
        assertEquals("none", parse("-e", "none").escape());
        assertEquals("%", parse("-e", "%", "-c", "x").escape());
        assertRejected("option -e needs a CHAR or 'none'", "-e");
    }
}

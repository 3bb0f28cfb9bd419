package jail.cli.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class ClientCommandTest {
    @Test
    void aCommandLineStartingWithJailIsOurs() {
        assertEquals(new ClientCommand("sessions", null), ClientCommand.parse("jail sessions"));
        assertEquals(new ClientCommand("attach", null), ClientCommand.parse("  jail   attach "));
        assertEquals(new ClientCommand("attach", 3), ClientCommand.parse("jail attach 3"));
        assertEquals(new ClientCommand("kill", 12), ClientCommand.parse("jail kill 12"));
        assertEquals(new ClientCommand("help", null), ClientCommand.parse("jail"));
    }

    @Test
    void anythingElseRunsInside() {
        assertNull(ClientCommand.parse("ls -l"));
        assertNull(ClientCommand.parse("jailbreak sessions"));
        assertNull(ClientCommand.parse("/usr/bin/jail sessions"));
    }

    @Test
    void mistakesAreOneLineEach() {
        assertThrows(IllegalArgumentException.class, () -> ClientCommand.parse("jail kill"));
        assertThrows(IllegalArgumentException.class, () -> ClientCommand.parse("jail attach x"));
        assertThrows(IllegalArgumentException.class, () -> ClientCommand.parse("jail kill 0"));
        assertThrows(IllegalArgumentException.class, () -> ClientCommand.parse("jail sessions 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientCommand.parse("jail frobnicate"))
                .getMessage().startsWith("unknown command 'jail frobnicate'"));
    }

    @Test
    void theListingIsParsedAndShown() {
        SessionListing l = SessionListing.parse("reattach=always\nlatest=2\n"
                + "session=1\t/dev/pts/0\t2026-12-07T03:00:00Z\t5\tattached\t-\n"
                + "session=2\t/dev/pts/1\t2026-12-07T03:01:00Z\t4000\tdetached\ttop -d 1\n");
        assertEquals("always", l.reattach());
        assertEquals(2, l.latest());
        assertEquals(1, l.detachedCount());
        assertEquals(new SessionListing.Line(2, "/dev/pts/1", Instant.parse("2026-12-07T03:01:00Z"), 4000, true, "top -d 1"),
                l.session(2));
        String table = l.table();
        assertTrue(table.startsWith("ID   TTY"), table);
        assertTrue(table.contains("(login shell)"), table);
        assertTrue(table.contains("1h6m  detached  top -d 1"), table);
        assertEquals("no sessions\n", SessionListing.parse("reattach=ask\nlatest=0\n").table());
    }
}

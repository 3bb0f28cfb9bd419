package jail.session.init;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.*;

class AuditLogFormatterTest {
    private static String format(String container, Instant when, String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setInstant(when);
        return new AuditLogFormatter(container).format(record);
    }

    @Test
    void oneLineWithTheTimeInUtcTheContainerAndTheLevel() {
        assertEquals("2026-12-07T09:12:05Z web INFO session 3 started\n",
                format("web", Instant.parse("2026-12-07T09:12:05.987Z"), "session 3 started"));
    }

    @Test
    void everyFieldOfTheTimeIsPaddedToTwoDigits() {
        assertEquals("2027-01-02T03:04:00Z c INFO x\n", format("c", Instant.parse("2027-01-02T03:04:00Z"), "x"));
        assertEquals("1999-12-31T23:59:59Z c INFO x\n", format("c", Instant.parse("1999-12-31T23:59:59Z"), "x"));
    }

    @Test
    void whatAUserChoseCannotStartASecondLineOrReachATerminal() {
        String line = format("n\nfake", Instant.EPOCH, "command: true\n1970-01-01T00:00:00Z other INFO forged\u001b[2J");
        assertEquals("1970-01-01T00:00:00Z n\\nfake INFO command: true\\n1970-01-01T00:00:00Z other INFO forged\\e[2J\n",
                line);
    }
}

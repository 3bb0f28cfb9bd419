package jail.session.init;

import jail.session.text.ControlEscape;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per event: "TIME NAME LEVEL message", the container's name first so that the lines of many
 * containers can share one journal. Messages carry what users chose (commands, user names, origins), so the
 * message and any stack trace are escaped: nothing a user sends can start a second line or reach the
 * terminal of whoever reads the log. Times are UTC ({@code 2026-12-07T09:12:05Z}), written field by field: a
 * local time would load the time-zone database into every init.
 */
final class AuditLogFormatter extends Formatter {
    private final String name;

    AuditLogFormatter(String containerName) {
        this.name = ControlEscape.escape(containerName);
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        appendTime(line, record.getInstant());
        line.append(' ').append(name).append(' ').append(record.getLevel().getName()).append(' ')
                .append(ControlEscape.escape(formatMessage(record)));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(ControlEscape.escape("\n" + trace));
        }
        return line.append('\n').toString();
    }

    private static void appendTime(StringBuilder line, Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        line.append(t.getYear()).append('-');
        twoDigits(line, t.getMonthValue()).append('-');
        twoDigits(line, t.getDayOfMonth()).append('T');
        twoDigits(line, t.getHour()).append(':');
        twoDigits(line, t.getMinute()).append(':');
        twoDigits(line, t.getSecond()).append('Z');
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}

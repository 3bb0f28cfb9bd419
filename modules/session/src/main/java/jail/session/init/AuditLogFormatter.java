package jail.session.init;

import jail.session.text.ControlEscape;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per event: "TIME NAME LEVEL message", the container's name first so that the lines of many
 * containers can share one journal. Messages carry what users chose (commands, user names, origins), so the
 * message and any stack trace are escaped: nothing a user sends can start a second line or reach the
 * terminal of whoever reads the log.
 */
final class AuditLogFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx");

    private final String name;

    AuditLogFormatter(String containerName) {
        this.name = ControlEscape.escape(containerName);
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append(TIME.format(ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
                .append(' ').append(name).append(' ').append(record.getLevel().getName()).append(' ')
                .append(ControlEscape.escape(formatMessage(record)));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(ControlEscape.escape("\n" + trace));
        }
        return line.append('\n').toString();
    }
}

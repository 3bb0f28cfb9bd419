package jail.cli.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The init's LIST answer (docs/protocol.md): the container's reattach policy, the latest detached session, and
 * the caller's sessions.
 */
record SessionListing(String reattach, int latest, List<Line> sessions) {
    /** One session as listed: the command is escaped by the init, "-" for a login shell. */
    record Line(int id, String tty, Instant started, long idleSeconds, boolean detached, String command) {}

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    static SessionListing parse(String text) {
        String reattach = "ask";
        int latest = 0;
        List<Line> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.startsWith("reattach=")) reattach = l.substring(9);
            else if (l.startsWith("latest=")) latest = Integer.parseInt(l.substring(7));
            else if (l.startsWith("session=")) {
                String[] f = l.substring(8).split("\t", 6);
                if (f.length < 6) continue;
                lines.add(new Line(Integer.parseInt(f[0]), f[1], Instant.parse(f[2]), Long.parseLong(f[3]),
                        f[4].equals("detached"), f[5]));
            }
        }
        return new SessionListing(reattach, latest, List.copyOf(lines));
    }

    long detachedCount() {
        return sessions.stream().filter(Line::detached).count();
    }

    Line session(int id) {
        return sessions.stream().filter(s -> s.id() == id).findFirst().orElse(null);
    }

    String table() {
        if (sessions.isEmpty()) return "no sessions\n";
        StringBuilder b = new StringBuilder(String.format("%-4s %-12s %-19s %6s  %-9s %s%n", "ID", "TTY", "STARTED", "IDLE", "STATE", "COMMAND"));
        for (Line s : sessions) {
            b.append(String.format("%-4d %-12s %-19s %6s  %-9s %s%n", s.id(), s.tty(), WHEN.format(s.started()),
                    idle(s.idleSeconds()), s.detached() ? "detached" : "attached", command(s)));
        }
        return b.toString();
    }

    static String command(Line s) {
        return s.command().equals("-") ? "(login shell)" : s.command();
    }

    static String idle(long s) {
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        return s / 3600 + "h" + (s % 3600 / 60 > 0 ? s % 3600 / 60 + "m" : "");
    }
}

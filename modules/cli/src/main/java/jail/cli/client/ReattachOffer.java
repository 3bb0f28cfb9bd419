package jail.cli.client;

import jail.session.protocol.FrameType;
import jail.session.protocol.Hello;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A login without a command first looks for the caller's detached sessions and, as the container's
 * {@code sessions.reattach} says, asks whether to reattach the latest (ask), does it (always) or starts a new
 * session (never). Any failure to ask (an init that predates detached sessions, say) means a new session, as
 * before: a login must never be blocked by this.
 */
final class ReattachOffer {
    private ReattachOffer() {}

    /** The session to reattach, or null for a new one. */
    static Integer consider(Path socket, int uid) {
        SessionListing listing;
        try {
            listing = SessionListing.parse(ClientCommand.request(socket, uid,
                    Hello.control(Hello.Mode.LIST, null, 0, 0, ""), FrameType.SESSIONS).text());
        } catch (Exception e) {
            return null;
        }
        if (listing.latest() == 0 || listing.reattach().equals("never")) return null;
        SessionListing.Line latest = listing.session(listing.latest());
        if (latest == null) return null;
        String what = "session " + latest.id() + " (" + SessionListing.command(latest) + ", idle "
                + SessionListing.idle(latest.idleSeconds()) + ")";
        long others = listing.detachedCount() - 1;
        String more = others > 0 ? " (and " + others + " more: jail sessions)" : "";
        if (listing.reattach().equals("always")) {
            System.err.println("jail: reattaching detached " + what + more);
            return latest.id();
        }
        System.err.print("jail: you have a detached " + what + more + ". Reattach it? [Y/n] ");
        System.err.flush();
        String answer = readLine();
        return answer != null && (answer.isBlank() || answer.trim().toLowerCase().startsWith("y")) ? latest.id() : null;
    }

    /** One line from the terminal, byte by byte so that nothing typed after it is taken from the session. */
    private static String readLine() {
        StringBuilder b = new StringBuilder();
        FileInputStream in = new FileInputStream(FileDescriptor.in);
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') b.append((char) c);
            return c < 0 && b.isEmpty() ? null : b.toString();
        } catch (IOException e) {
            return null;
        }
    }
}

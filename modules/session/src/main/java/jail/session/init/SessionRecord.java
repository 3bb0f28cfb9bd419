package jail.session.init;

import jail.session.protocol.ContainerStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * The audit record of one session: who, from where, what, when. Logged when it starts and ends, and listed
 * by {@code jaild status}.
 *
 * @param origin "ssh CLIENT_IP CLIENT_PORT" from the client's SSH_CONNECTION, or "local"
 */
record SessionRecord(int pid, String user, int uid, String origin, String mode, String tty, String command,
                     Instant started) {

    static String origin(java.util.List<String> clientEnv) {
        for (String e : clientEnv) {
            if (e.startsWith("SSH_CONNECTION=")) {
                String[] f = e.substring("SSH_CONNECTION=".length()).split(" ");
                return f.length >= 2 ? "ssh " + f[0] + " " + f[1] : "ssh";
            }
        }
        return "local";
    }

    /** The ssh client's address for login records ("" for a local session, as login(1) on a console). */
    String remoteHost() {
        return origin.startsWith("ssh ") ? origin.split(" ")[1] : "";
    }

    /** {@link #remoteHost} as the 4 or 16 bytes of utmp's ut_addr_v6, or none if it is not an address. */
    byte[] remoteAddress() {
        try {
            return remoteHost().isEmpty() ? new byte[0] : java.net.InetAddress.ofLiteral(remoteHost()).getAddress();
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    String describe() {
        return "user " + user + " (uid " + uid + "), from " + origin + ", " + mode + (tty != null ? " " + tty : "")
                + ", " + (command != null ? "command: " + command : "login shell");
    }

    /** This session in the init's STATUS answer; {@code detached}: it waits, without a client, for one to attach. */
    ContainerStatus.Session toStatus(boolean detached) {
        return new ContainerStatus.Session(pid, user, uid, origin, started, mode, tty, command, detached);
    }

    String duration(Instant end) {
        Duration d = Duration.between(started, end);
        return d.toSeconds() + "." + String.format("%01d", d.toMillisPart() / 100) + " s";
    }
}

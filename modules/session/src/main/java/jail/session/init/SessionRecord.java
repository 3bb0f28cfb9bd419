package jail.session.init;

import jail.cgroup.SessionCgroup;
import jail.cgroup.SessionUsage;
import jail.session.protocol.ContainerStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * The audit record of one session: who, from where, what, when. Logged when it starts and ends, and listed
 * by {@code jaild status}.
 *
 * @param origin "ssh CLIENT_IP CLIENT_PORT" from the client's SSH_CONNECTION, or "local"
 * @param cgroup the session's own cgroup, for its CPU time and peak memory; null when the container has none
 */
record SessionRecord(int pid, String user, int uid, String origin, String mode, String tty, String command,
                     Instant started, SessionCgroup cgroup) {

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

    /** What the session has used so far (nothing known without a cgroup, or once it cannot be read). */
    SessionUsage usage() {
        if (cgroup == null) return SessionUsage.NONE;
        try {
            return cgroup.usage();
        } catch (RuntimeException e) {
            return SessionUsage.NONE;
        }
    }

    /**
     * This session in the init's STATUS answer, with what it has used so far; {@code detached}: it waits, without
     * a client, for one to attach.
     */
    ContainerStatus.Session toStatus(boolean detached) {
        SessionUsage usage = usage();
        return new ContainerStatus.Session(pid, user, uid, origin, started, mode, tty, command,
                usage.cpuNanos().isPresent() ? usage.cpuNanos().getAsLong() : null,
                usage.peakMemoryBytes().isPresent() ? usage.peakMemoryBytes().getAsLong() : null,
                detached);
    }

    String duration(Instant end) {
        Duration d = Duration.between(started, end);
        return d.toSeconds() + "." + d.toMillisPart() / 100 + " s";
    }
}

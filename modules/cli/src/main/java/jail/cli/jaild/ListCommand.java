package jail.cli.jaild;

import jail.session.client.SessionClient;
import jail.session.container.ContainerState;
import jail.session.container.StateDirectory;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code jaild list}: the containers recorded in the state directory, with their live session counts. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists running containers: uid, gid, init pid, sessions, root, socket.")
public class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Privileges.requireRoot("listing containers");
        StateDirectory state = StateDirectory.fromSystem();
        String format = "%-8s %-8s %-8s %-9s %-8s %-30s %s%n";
        System.out.printf(format, "UID", "GID", "PID", "SESSIONS", "STATE", "ROOT", "SOCKET");
        for (ContainerState c : state.all()) {
            boolean alive = c.isAlive();
            String sessions = alive ? sessions(c) : "-";
            System.out.printf(format, c.uid(), c.gid(), c.pid(), sessions, alive ? "running" : "dead", c.root(), c.socket());
        }
        return ExitCodes.OK;
    }

    private static String sessions(ContainerState c) {
        try {
            String status = SessionClient.connect(c.socket(), c.uid()).status();
            for (String line : status.split("\n")) {
                if (line.startsWith("sessions=")) return line.substring("sessions=".length());
            }
        } catch (Exception e) {
            // The init is alive but not answering: show it as unknown rather than fail the listing.
        }
        return "?";
    }
}

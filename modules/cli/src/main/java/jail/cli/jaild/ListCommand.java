package jail.cli.jaild;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jail.session.container.ContainerState;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

import static jail.session.text.ControlEscape.escape;

/** {@code jaild list}: the containers recorded in the state directory, with their live session counts. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists containers: name, uid, gid, init pid, state, sessions, uptime, root.")
public class ListCommand implements Callable<Integer> {

    @Inject
    ContainerControl control;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        JsonArray rows = new JsonArray();
        for (ContainerState c : control.all()) rows.add(control.summary(c));
        if (json) {
            System.out.println(rows.encodePrettily());
            return ExitCodes.OK;
        }
        String format = "%-16s %-8s %-8s %-8s %-8s %-9s %-7s %s%n";
        System.out.printf(format, "NAME", "UID", "GID", "PID", "STATE", "SESSIONS", "UPTIME", "ROOT");
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.getJsonObject(i);
            boolean running = r.getString("state").equals("running");
            System.out.printf(format, escape(r.getString("name")), r.getInteger("uid"), r.getInteger("gid"), r.getInteger("pid"),
                    r.getString("state"), running && r.containsKey("sessions") ? r.getInteger("sessions") : running ? "?" : "-",
                    running ? ContainerControl.uptime(java.time.Instant.parse(r.getString("started"))) : "-", escape(r.getString("root")));
        }
        // A "?" in the table has its reason here, on stderr, so that the table stays a table.
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.getJsonObject(i);
            if (r.containsKey("statusError")) {
                System.err.println("jaild: " + escape(r.getString("name")) + ": no status from its init: " + escape(r.getString("statusError")));
            }
        }
        return ExitCodes.OK;
    }
}

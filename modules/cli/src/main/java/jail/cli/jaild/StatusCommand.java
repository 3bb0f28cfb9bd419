package jail.cli.jaild;

import io.vertx.core.json.JsonObject;
import jail.session.container.ContainerState;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static jail.session.text.ControlEscape.escape;

/** {@code jaild status NAME|UID}: one container in detail, sessions included. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows one container: init pid, processes, sessions (user, origin, start), cgroup usage.")
public class StatusCommand implements Callable<Integer> {

    @Inject
    ContainerControl control;

    @Parameters(paramLabel = "NAME|UID", description = "Container to show.")
    String ref;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        ContainerState c = control.find(ref).orElseThrow(() -> new JaildException("no container named or with uid " + ref));
        JsonObject o = control.summary(c);
        if (c.isAlive()) {
            o.put("processes", ContainerControl.processCount(c.pid()));
            control.status(c).answer().ifPresent(s -> o.put("sessionList", ContainerControl.sessionsJson(s)));
            CgroupReport.add(c.uid(), o);
        }
        if (json) {
            System.out.println(o.encodePrettily());
            return ExitCodes.OK;
        }
        // Session fields are escaped by sessionsJson; what comes from the state file is escaped here.
        System.out.printf("%s (uid %d, gid %d): %s%n", escape(c.name()), c.uid(), c.gid(), o.getString("state"));
        System.out.printf("  root:      %s%n  init pid:  %d%n  started:   %s%n  socket:    %s%n  log:       %s%n",
                escape(c.root().toString()), c.pid(), c.started(), escape(c.socket().toString()), escape(c.log().toString()));
        if (o.containsKey("processes")) System.out.printf("  processes: %d%n", o.getInteger("processes"));
        if (o.containsKey("statusError")) System.out.printf("  sessions:  unknown: the init did not answer (%s)%n", escape(o.getString("statusError")));
        if (o.containsKey("cgroup")) System.out.printf("  cgroup:    %s%n", o.getJsonObject("cgroup").encode());
        if (o.containsKey("sessionList")) {
            System.out.printf("  sessions:  %d%n", o.getJsonArray("sessionList").size());
            for (Object s : o.getJsonArray("sessionList")) {
                JsonObject r = (JsonObject) s;
                System.out.printf("    %-7d %-10s %-26s %s %s%s%n", r.getInteger("pid"), r.getString("user"), r.getString("origin"),
                        r.getString("started"), r.getBoolean("detached", false) ? "(detached) " : "",
                        (r.getString("command") == null ? "(login)" : r.getString("command")) + usage(r));
            }
        }
        return ExitCodes.OK;
    }

    /** "  [cpu 0.25 s, peak memory 3.4M]" for a session with its own cgroup, else "". */
    private static String usage(JsonObject session) {
        java.util.OptionalLong cpu = session.containsKey("cpuNanos") ? java.util.OptionalLong.of(session.getLong("cpuNanos"))
                : java.util.OptionalLong.empty();
        java.util.OptionalLong peak = session.containsKey("peakMemoryBytes")
                ? java.util.OptionalLong.of(session.getLong("peakMemoryBytes")) : java.util.OptionalLong.empty();
        String text = new jail.cgroup.SessionUsage(cpu, peak).describe();
        return text.isEmpty() ? "" : "  [" + text + "]";
    }
}

package jail.cli.jaild;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jail.session.container.ContainerState;
import jakarta.inject.Inject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code jaild stop NAME|UID|--all}: ends containers, every process in them, their mounts and sockets. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops a container (by name or uid) or all of them: every process ends, mounts and socket go away.")
public class StopCommand implements Callable<Integer> {

    @Inject
    ContainerControl control;

    static class Target {
        @Parameters(paramLabel = "NAME|UID", description = "Container to stop.")
        String ref;

        @Option(names = "--all", description = "Stop every running container.")
        boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(names = "--json", description = "Report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        List<ContainerState> victims = target.all ? control.all()
                : List.of(control.find(target.ref).orElseThrow(() -> new JaildException(
                        (target.ref.matches("\\d+") ? "no container for uid " : "no container named ") + target.ref)));
        JsonArray report = new JsonArray();
        boolean notRunning = false;
        for (ContainerState c : victims) {
            boolean wasRunning = control.stop(c);
            notRunning |= !wasRunning && !target.all;
            report.add(new JsonObject().put("name", c.name()).put("uid", c.uid()).put("stopped", wasRunning));
            if (!json && target.all) System.out.println(c.name() + ": " + (wasRunning ? "stopped" : "was not running"));
        }
        if (json) System.out.println(report.encodePrettily());
        if (notRunning) {
            throw new JaildException("the container for uid " + victims.get(0).uid() + " was not running (stale state removed)");
        }
        return ExitCodes.OK;
    }
}

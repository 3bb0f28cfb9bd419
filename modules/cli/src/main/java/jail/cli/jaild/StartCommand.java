package jail.cli.jaild;

import jail.cli.config.ContainerDefinition;
import jail.session.container.ContainerState;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jaild start [--config FILE] [NAME...]}: starts the configured containers (all with autostart, or the
 * named ones), several at a time. Each prints one line when it is ready or has failed, a failure naming the
 * file the container comes from; one failure does not stop the others; the summary and the exit status say
 * what failed.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts configured containers: the named ones, or all with autostart.")
public class StartCommand implements Callable<Integer> {
    @Inject
    ContainerControl control;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Containers to start (default: all with autostart).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, ContainerDefinition> all = config.load();
        List<ContainerDefinition> chosen = new ArrayList<>();
        for (String n : names) chosen.add(config.named(all, n));
        if (names.isEmpty()) all.values().stream().filter(ContainerDefinition::autostart).forEach(chosen::add);
        if (chosen.isEmpty()) {
            System.out.println("no containers to start");
            return ExitCodes.OK;
        }

        List<String> failed = new ArrayList<>();
        ParallelStarter.startAll(chosen, d -> {
            String line = startOne(d);
            synchronized (System.out) {
                System.out.println(line);
            }
            if (line.contains(": failed: ")) {
                synchronized (failed) {
                    failed.add(d.name());
                }
            }
        });
        int ok = chosen.size() - failed.size();
        System.out.println("started " + ok + " of " + chosen.size() + " containers"
                + (failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed.stream().sorted().toList())));
        return failed.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private String startOne(ContainerDefinition d) {
        var running = control.running(d.uid());
        if (running.isPresent()) {
            return d.name() + ": already running (uid " + d.uid() + ", init pid " + running.get().pid() + ")";
        }
        var sameName = control.find(d.name()).filter(ContainerState::isAlive);
        if (sameName.isPresent()) {
            return d.name() + ": failed: the name is taken by the running container of uid " + sameName.get().uid();
        }
        try {
            ContainerState s = control.start(d);
            return d.name() + ": started (uid " + s.uid() + ", init pid " + s.pid() + ")";
        } catch (JaildException e) {
            return d.name() + ": failed: " + d.source() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return d.name() + ": failed: " + e;
        }
    }
}

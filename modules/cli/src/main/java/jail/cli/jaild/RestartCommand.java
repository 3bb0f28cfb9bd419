package jail.cli.jaild;

import jail.cli.config.ContainerDefinition;
import jail.session.container.ContainerState;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jaild restart NAME}: stop (if running) and start again from the configuration. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Stops a configured container (if running) and starts it again from the configuration.")
public class RestartCommand implements Callable<Integer> {

    @Inject
    ContainerControl control;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "NAME", description = "Container to restart.")
    String name;

    @Override
    public Integer call() {
        Map<String, ContainerDefinition> all = config.load();
        ContainerDefinition d = config.named(all, name);
        control.find(name).or(() -> control.find(String.valueOf(d.uid()))).ifPresent(control::stop);
        ContainerState s = control.start(d);
        System.out.println(name + ": restarted (uid " + s.uid() + ", init pid " + s.pid() + ")");
        return ExitCodes.OK;
    }
}

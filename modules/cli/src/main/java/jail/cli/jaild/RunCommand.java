package jail.cli.jaild;

import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code jaild run}: the foreground supervisor, for systemd (packaging/systemd/jaild.service). Wires signals to
 * a {@link Supervisor}: SIGTERM or SIGINT stop everything, SIGHUP reloads the configuration (new containers
 * start, removed ones stop, changed ones restart, unchanged ones and their sessions are left alone). One line
 * per event on stdout (the journal); the inits' own lines go there too.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs in the foreground supervising the configured containers (for systemd): restarts "
                + "dead ones, SIGHUP reloads the configuration, SIGTERM stops everything.")
public class RunCommand implements Callable<Integer> {
    private static final Duration TICK = Duration.ofMillis(250);

    @Inject
    ContainerControl control;

    @Mixin
    ConfigOption config;

    private volatile boolean stopRequested;
    private volatile boolean reloadRequested;

    @Override
    public Integer call() throws Exception {
        Supervisor supervisor = new Supervisor(control, config::load);
        var definitions = config.load(); // a configuration that cannot be read stops us here, before anything starts
        control.logToOurOutput();
        Signal.handle(new Signal("TERM"), s -> stopRequested = true);
        Signal.handle(new Signal("INT"), s -> stopRequested = true);
        Signal.handle(new Signal("HUP"), s -> reloadRequested = true);
        supervisor.startAll(definitions);
        while (!stopRequested) {
            Thread.sleep(TICK.toMillis());
            if (reloadRequested) {
                reloadRequested = false;
                supervisor.reload();
            }
            supervisor.tick();
        }
        supervisor.stopAll();
        return ExitCodes.OK;
    }
}

package jail.cli.jaild;

import jail.session.container.ContainerState;
import jail.session.container.ContainerStopper;
import jail.session.container.StateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code jaild stop UID}: ends the container, every process in it, its mounts and its socket. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops the container of UID: all its processes end, its mounts and socket go away.")
public class StopCommand implements Callable<Integer> {

    @Parameters(paramLabel = "UID", description = "Uid of the container to stop.")
    int uid;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Privileges.requireRoot("stopping a container");
        StateDirectory state = StateDirectory.fromSystem();
        ContainerState container = state.find(uid)
                .orElseThrow(() -> new JaildException("no container for uid " + uid));
        if (!new ContainerStopper(state).stop(container)) {
            throw new JaildException("the container for uid " + uid + " was not running (stale state removed)");
        }
        return ExitCodes.OK;
    }
}

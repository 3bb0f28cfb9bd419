package jail.session.container;

import jail.namespace.Processes;

import java.io.IOException;

import static jail.namespace.jna.Constants.*;

/**
 * Ends a container: SIGTERM to its init, SIGKILL if it lingers. When a PID namespace's init dies the kernel
 * kills every process in it, and the container's mounts go with its mount namespace; what is left on the host
 * (socket, state file) is removed here.
 */
public final class ContainerStopper {
    private static final long GRACE_MILLIS = 5_000;

    private final StateDirectory state;

    public ContainerStopper(StateDirectory state) {
        this.state = state;
    }

    /** Returns true if a running container was stopped, false if only stale files were cleared. */
    public boolean stop(ContainerState container) throws IOException, InterruptedException {
        boolean wasAlive = container.isAlive();
        if (wasAlive) {
            Processes.signal(container.pid(), SIGTERM); // false: it ended on its own meanwhile
            long deadline = System.currentTimeMillis() + GRACE_MILLIS;
            while (container.isAlive() && System.currentTimeMillis() < deadline) Thread.sleep(20);
            if (container.isAlive()) {
                Processes.kill(container.pid());
                while (container.isAlive()) Thread.sleep(20);
            }
        }
        state.clear(container.uid());
        // Every process of the container is gone with its init: its cgroup can go too.
        jail.cgroup.ContainerCgroup.find(ContainerLauncher.cgroupName(container.uid()))
                .ifPresent(jail.cgroup.ContainerCgroup::remove);
        return wasAlive;
    }

}

package jail.session.container;

import jail.namespace.Namespaces;
import jail.namespace.ThrowawayThread;
import jail.namespace.spawn.ProcessSpawner;
import jail.namespace.spawn.SpawnRequest;

/**
 * Root's containers: new PID, mount, UTS and IPC namespaces in the host's user namespace, made by jaild's JVM
 * itself. unshare(CLONE_NEWPID) only affects children of the calling thread, and that thread can never create
 * threads again (pthread_create fails with EINVAL), so a throwaway thread unshares, spawns once and ends.
 */
public final class HostNamespaces implements InitNamespaces {

    @Override
    public int spawn(InitProcess init) throws ContainerLauncher.LaunchException {
        SpawnRequest request = init.request(init.java(), init.argv()).closeFrom(4).chdir("/");
        try {
            return ThrowawayThread.run("container-spawner", () -> {
                Namespaces.unshare(Namespaces.CONTAINER);
                return ProcessSpawner.spawn(request);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerLauncher.LaunchException("interrupted while starting the container");
        } catch (Exception e) {
            throw new ContainerLauncher.LaunchException("cannot start the container init: " + e.getMessage());
        }
    }

    @Override
    public boolean rootless() {
        return false;
    }
}

package jail.session.container;

import com.sun.jna.Memory;
import jail.namespace.Namespaces;
import jail.namespace.spawn.ProcessSpawner;
import jail.namespace.spawn.SpawnRequest;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Root's containers: new PID, mount, UTS and IPC namespaces in the host's user namespace, made by jaild's JVM
 * itself. unshare(CLONE_NEWPID) only affects children of the calling thread, and that thread can never create
 * threads again (pthread_create fails with EINVAL), so a throwaway thread unshares, spawns once and ends.
 */
public final class HostNamespaces implements InitNamespaces {

    @Override
    public int spawn(InitProcess init) throws ContainerLauncher.LaunchException {
        SpawnRequest request = init.request(init.java(), init.argv()).closeFrom(4).chdir("/");
        // JNA's cleaner thread must exist before the spawner thread can no longer create threads.
        new Memory(8).close();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Namespaces.unshare(Namespaces.CONTAINER);
                outcome.set(ProcessSpawner.spawn(request));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "container-spawner");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerLauncher.LaunchException("interrupted while starting the container");
        }
        if (outcome.get() instanceof Throwable e) {
            throw new ContainerLauncher.LaunchException("cannot start the container init: " + e.getMessage());
        }
        return (Integer) outcome.get();
    }

    @Override
    public boolean rootless() {
        return false;
    }
}

package jail.session.init;

import jail.namespace.ExitStatus;
import jail.namespace.Processes;
import jail.namespace.SyscallException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * The init's only caller of waitpid(2). As PID 1 it inherits every orphan of the container, so it reaps
 * everything ({@code waitpid(-1)}); sessions register their shell's pid to hear its exit status. Nothing else
 * in the init may wait for children (no java.lang.Process), or statuses would be stolen.
 */
final class ChildReaper implements Runnable {
    private static final Logger LOG = Logger.getLogger(ChildReaper.class.getName());

    private final Map<Integer, Consumer<ExitStatus>> watchers = new HashMap<>();
    private int reaped;

    /**
     * Spawns through {@code spawn} and registers the callback for the new pid atomically: the child may exit
     * before spawn returns, and its status must not be dropped as an orphan's.
     */
    synchronized int spawnAndWatch(IntSupplier spawn, Consumer<ExitStatus> onExit) {
        int pid = spawn.getAsInt();
        watchers.put(pid, onExit);
        notifyAll(); // wakes the reaper if it was idle with no children
        return pid;
    }

    synchronized int reapedCount() {
        return reaped;
    }

    @Override
    public void run() {
        while (true) {
            Processes.Ended ended;
            try {
                ended = Processes.waitAny();
            } catch (SyscallException e) {
                LOG.severe(e.getMessage());
                sleepQuietly();
                continue;
            }
            if (ended == null) {
                waitForChildren();
                continue;
            }
            try {
                dispatch(ended.pid(), ended.status());
            } catch (Throwable e) { // even an OutOfMemoryError must not end reaping: zombies would pile up
                LOG.severe("reaper: " + e);
            }
        }
    }

    private synchronized void dispatch(int pid, ExitStatus exit) {
        reaped++;
        Consumer<ExitStatus> watcher = watchers.remove(pid);
        if (watcher != null) {
            watcher.accept(exit);
        } else {
            LOG.fine(() -> "reaped orphan " + pid + " (" + exit + ")");
        }
    }

    private synchronized void waitForChildren() {
        try {
            wait(1000); // a spawn notifies; the timeout covers orphans adopted without a spawn of ours
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package jail.namespace;

import com.sun.jna.Memory;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a step that changes its thread for good (unshare, setns, a new root) on a thread of its own, which
 * ends with the step: the rest of the JVM never sees the change. The one place this pattern lives: the
 * container's start (unshare of the PID namespace), the init's mount set-up and every session's spawn.
 */
public final class ThrowawayThread {
    private ThrowawayThread() {}

    /**
     * Runs {@code step} on a new thread named {@code name} and returns its result; an exception it throws is
     * thrown here as it was, an Error wrapped (the thread that had it is gone, the caller is not).
     */
    public static <T> T run(String name, Callable<T> step) throws Exception {
        JnaCleaner.STARTED.hashCode(); // once per JVM, not per step (every session's spawn passes here)
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                outcome.set(step.call());
            } catch (Throwable e) {
                outcome.set(new Failure(e));
            }
        }, name);
        t.start();
        t.join();
        if (outcome.get() instanceof Failure f) {
            if (f.cause() instanceof Exception e) throw e;
            throw new IllegalStateException(f.cause().toString(), f.cause());
        }
        @SuppressWarnings("unchecked") T result = (T) outcome.get();
        return result;
    }

    private record Failure(Throwable cause) {}

    /**
     * JNA's cleaner thread must exist before any step: a thread that unshared CLONE_NEWPID cannot create
     * threads any more (pthread_create: EINVAL), and JNA starts its cleaner on first use.
     */
    private static final class JnaCleaner {
        static final Object STARTED = start();

        private static Object start() {
            new Memory(8).close();
            return Boolean.TRUE;
        }
    }
}

package jail.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way e2e tests wait: poll until something holds or a deadline passes, for effects that happen
 * asynchronously; never a fixed sleep. A deadline that passes fails the test with what was last seen.
 */
final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {}

    /** Until {@code condition} holds. */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        value(timeout, condition::getAsBoolean, done -> done, done -> failure.get());
    }

    /**
     * Probes until the value satisfies {@code done}, and returns that value; an exception of the probe fails
     * the test at once (it is not an effect still on its way).
     */
    static <T> T value(Duration timeout, Callable<T> probe, Predicate<T> done, Function<T, String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = call(probe);
            if (done.test(value)) return value;
            if (System.nanoTime() > deadline) throw new AssertionError(failure.apply(value));
            pause(failure, value);
        }
    }

    /**
     * Tries until {@code attempt} no longer throws {@code retried} (a listener that is not up yet) and returns
     * what it returned; any other exception fails the test at once.
     */
    static <T> T attempt(Duration timeout, Class<? extends Exception> retried, Callable<T> attempt, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return attempt.call();
            } catch (Exception e) {
                if (!retried.isInstance(e)) throw new AssertionError(failure.get() + ": " + e, e);
                if (System.nanoTime() > deadline) throw new AssertionError(failure.get() + ": " + e, e);
            }
            pause(x -> failure.get(), null);
        }
    }

    /** Until the process has ended; returns its exit status. */
    static int exit(Process p, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + p.pid() + " (" + p.info().commandLine().orElse("?") + ") did not end");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for process " + p.pid());
        }
    }

    private static <T> T call(Callable<T> probe) {
        try {
            return probe.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("probe failed: " + e, e);
        }
    }

    private static <T> void pause(Function<T, String> failure, T value) {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting: " + failure.apply(value));
        }
    }
}

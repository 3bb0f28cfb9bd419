package jail.cli.jaild;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Starts several containers at once, a few at a time (a start is mostly a JVM coming up: more in parallel than
 * this only makes each slower on a small machine). Shared by {@code jaild start} and the supervisor. One
 * container's failure is its own: {@code startOne} reports it, and the others go on.
 */
final class ParallelStarter {
    static final int PARALLEL = 4;

    private ParallelStarter() {}

    /** Runs {@code startOne} for each item, at most {@link #PARALLEL} at once, and returns when all are done. */
    static <T> void startAll(List<T> items, Consumer<T> startOne) {
        if (items.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, items.size()));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (T item : items) jobs.add(pool.submit(() -> startOne.accept(item)));
            for (Future<?> job : jobs) {
                try {
                    job.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a start failed outside its own report: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JaildException("interrupted while starting containers");
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}

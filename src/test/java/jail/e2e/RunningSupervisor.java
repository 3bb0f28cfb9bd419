package jail.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code jaild run --config FILE} started by a test, with every line it prints collected, so that a test
 * can wait for the events it expects ({@link #awaitLine}) and end it ({@link #terminate}, {@link #close}).
 */
final class RunningSupervisor implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final long awaitMillis;

    private RunningSupervisor(Process process, long awaitMillis) {
        this.process = process;
        this.awaitMillis = awaitMillis;
    }

    /** Starts it with {@code env} (e.g. its own JAIL_RUN_DIR); {@link #awaitLine} waits at most {@code awaitMillis}. */
    static RunningSupervisor start(Path config, Map<String, String> env, long awaitMillis) throws Exception {
        RunningSupervisor s = new RunningSupervisor(Cmd.start(Cmd.Io.MERGED, env, Cmd.JAILD, "run", "--config", config.toString()),
                awaitMillis);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (s.output) {
                        s.output.add(line);
                    }
                }
            } catch (Exception ignored) {
                // the supervisor ended
            }
        }, "supervisor-output");
        reader.setDaemon(true);
        reader.start();
        return s;
    }

    /** Waits until a line containing {@code fragment} was printed; fails with everything printed so far. */
    void awaitLine(String fragment) {
        Await.until(java.time.Duration.ofMillis(awaitMillis), () -> printed().contains(fragment),
                () -> "supervisor never said '" + fragment + "':\n" + printed());
    }

    /** Everything printed so far, one line each. */
    String printed() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as systemd stops it; returns its exit status (fails if it does not end within a minute). */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("jaild run did not end on SIGTERM:\n" + printed());
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

package jail.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs a host command to completion (with a deadline) and keeps its exit code, stdout and stderr apart. */
final class Cmd {
    record Result(int exit, byte[] stdoutBytes, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    static final Path PROJECT = Path.of(System.getProperty("jail.project", System.getProperty("user.dir")));
    static final String JAILD = PROJECT.resolve("bin/jaild").toString();
    static final String JAIL = PROJECT.resolve("bin/jail").toString();
    static final String MKROOTFS = PROJECT.resolve("bin/jail-mkrootfs").toString();

    /**
     * One thread per output stream. Not the common pool: on a 2-core machine it has a single worker, and one
     * reader blocked by a process that never ends (a leftover holding the pipe) would starve every later run.
     */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cmd-output-reader");
        t.setDaemon(true);
        return t;
    });

    private Cmd() {}

    static Result run(String... argv) {
        return run(null, Map.of(), argv);
    }

    static Result run(byte[] stdin, Map<String, String> env, String... argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), READERS);
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), READERS);
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the command did not read all of it: its exit status will tell
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + Arrays.toString(argv));
            }
            byte[] o = out.get(10, TimeUnit.SECONDS);
            return new Result(p.exitValue(), o, new String(o, StandardCharsets.UTF_8),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("running " + Arrays.toString(argv) + ": " + e, e);
        }
    }

    /**
     * Where a started process's stdin, stdout and stderr go.
     *
     * @param merged stderr goes where stdout goes ({@code err} is then ignored)
     */
    record Io(ProcessBuilder.Redirect in, ProcessBuilder.Redirect out, ProcessBuilder.Redirect err, boolean merged) {
        private static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new java.io.File("/dev/null"));
        private static final ProcessBuilder.Redirect PIPE = ProcessBuilder.Redirect.PIPE;

        /** Runs by itself: no input, output discarded (a test signals it, kills it, or looks at its effects). */
        static final Io BACKGROUND = new Io(NO_INPUT, ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD, false);
        /** A conversation: the test writes stdin and reads stdout; stderr goes to the test's own, for diagnosis. */
        static final Io CONVERSATION = new Io(PIPE, PIPE, ProcessBuilder.Redirect.INHERIT, false);
        /** The test writes stdin and reads stdout and stderr as one stream. */
        static final Io MERGED = new Io(PIPE, PIPE, PIPE, true);

        /** No input; stdout into {@code file}, which the test reads; stderr discarded. */
        static Io stdoutTo(Path file) {
            return new Io(NO_INPUT, ProcessBuilder.Redirect.to(file.toFile()), ProcessBuilder.Redirect.DISCARD, false);
        }

        /** No input; stdout and stderr into {@code log}, which the test reads. */
        static Io toFile(Path log) {
            return new Io(NO_INPUT, ProcessBuilder.Redirect.to(log.toFile()), null, true);
        }
    }

    /** {@link #start(Io, Map, String...)} in the {@link Io#BACKGROUND}. */
    static Process start(Map<String, String> env, String... argv) {
        return start(Io.BACKGROUND, env, argv);
    }

    /**
     * Starts a command that runs on while the test goes on; the test ends it. Signals are reset to their
     * defaults first ({@code env --default-signal}): a JVM started from a background job may have SIGINT
     * ignored, and that would survive exec.
     */
    static Process start(Io io, Map<String, String> env, String... argv) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal"));
        command.addAll(Arrays.asList(argv));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(io.in()).redirectOutput(io.out());
        if (io.merged()) pb.redirectErrorStream(true);
        else pb.redirectError(io.err());
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends a started process (SIGKILL) and waits for it, so that nothing of it outlives the test. */
    static void end(Process p) {
        p.destroyForcibly();
        Await.exit(p, java.time.Duration.ofSeconds(30));
    }

    /** Runs and insists on exit 0, returning stdout. */
    static String ok(String... argv) {
        Result r = run(argv);
        if (r.exit() != 0) throw new AssertionError(Arrays.toString(argv) + " failed: " + r);
        return r.stdout();
    }

    /** {@code su - user -c command}: the way an admin enters a container from the host. */
    static Result su(String user, String command) {
        return run("su", "-", user, "-c", command);
    }

    static List<String> lines(String text) {
        List<String> l = new ArrayList<>();
        for (String s : text.split("\n")) if (!s.isBlank()) l.add(s);
        return l;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

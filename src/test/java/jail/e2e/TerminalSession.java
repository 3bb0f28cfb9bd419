package jail.e2e;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import jail.namespace.ExitStatus;
import jail.namespace.NativeFd;
import jail.namespace.jna.LibC;
import jail.namespace.spawn.ProcessSpawner;
import jail.namespace.spawn.SpawnRequest;
import jail.pty.PtyPair;
import jail.pty.WindowSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static jail.namespace.jna.Constants.*;

/**
 * A person at a terminal, for tests: runs a command (e.g. {@code su - centos}) as the session leader of a new
 * pty on the host, types into it and reads the screen, like pty4j's tests do. Uses jail's own pty and spawn
 * code, so it exercises them too.
 */
final class TerminalSession implements AutoCloseable {
    private final PtyPair pty;
    private final int pid;
    private final StringBuilder screen = new StringBuilder();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private int mark;

    private TerminalSession(PtyPair pty, int pid) {
        this.pty = pty;
        this.pid = pid;
        Thread reader = new Thread(this::readLoop, "pty-reader");
        reader.setDaemon(true);
        reader.start();
        Thread waiter = new Thread(() -> {
            IntByReference status = new IntByReference();
            LibC.waitpid(pid, status, 0);
            exit.complete(ExitStatus.fromWaitStatus(status.getValue()));
        }, "pty-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    static TerminalSession start(int rows, int cols, String... argv) {
        return startWith(List.of("TERM=xterm", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"), rows, cols, argv);
    }

    /** As {@link #start}, with exactly {@code env} as the program's environment. */
    static TerminalSession startWith(List<String> env, int rows, int cols, String... argv) {
        PtyPair pty = PtyPair.open("/dev/pts");
        new WindowSize(rows, cols).applyTo(pty.master());
        SpawnRequest request = new SpawnRequest(argv[0].startsWith("/") ? argv[0] : "/usr/bin/" + argv[0], List.of(argv), env)
                .newSession()
                .open(0, pty.slavePath(), O_RDWR, 0).dup2(0, 1).dup2(0, 2).closeFrom(3);
        return new TerminalSession(pty, ProcessSpawner.spawn(request));
    }

    private void readLoop() {
        try (Memory buf = new Memory(4096)) {
            int n;
            while ((n = NativeFd.read(pty.master(), buf, 4096)) > 0) {
                String s = new String(buf.getByteArray(0, n), StandardCharsets.UTF_8);
                synchronized (screen) {
                    screen.append(s);
                }
            }
        } catch (RuntimeException e) {
            // master closed by close()
        }
    }

    void type(String text) {
        NativeFd.writeFully(pty.master(), text.getBytes(StandardCharsets.UTF_8));
    }

    void line(String text) {
        type(text + "\r");
    }

    void ctrl(char c) {
        type(String.valueOf((char) (Character.toUpperCase(c) - '@')));
    }

    void resize(int rows, int cols) {
        new WindowSize(rows, cols).applyTo(pty.master()); // the kernel sends SIGWINCH to the foreground group
    }

    /** Waits until the screen, after what earlier expects consumed, matches; returns the first group or match. */
    String expect(String regex) {
        return expect(regex, Duration.ofSeconds(20));
    }

    String expect(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        Matcher m = Await.value(timeout, () -> {
            Matcher found = p.matcher(screen());
            return found.find(Math.min(mark, found.regionEnd())) ? found : null;
        }, found -> found != null, found -> "terminal never showed /" + regex + "/; screen after mark:\n" + afterMark());
        mark = m.end();
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    private String afterMark() {
        String text = screen();
        return text.substring(Math.min(mark, text.length()));
    }

    /** Types {@code command} until the screen matches (for effects that arrive asynchronously). */
    String retype(String command, String regex) {
        return Await.value(Duration.ofSeconds(20), () -> {
            line(command);
            try {
                return expect(regex, Duration.ofMillis(500));
            } catch (AssertionError notYet) {
                return null;
            }
        }, found -> found != null, found -> "terminal never showed /" + regex + "/ after typing " + command + ":\n" + afterMark());
    }

    String screen() {
        synchronized (screen) {
            return screen.toString();
        }
    }

    ExitStatus waitExit() {
        try {
            return exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the terminal's program did not exit; screen:\n" + screen(), e);
        }
    }

    int pid() {
        return pid;
    }

    @Override
    public void close() {
        if (!exit.isDone()) {
            try {
                LibC.kill(pid, SIGKILL);
            } catch (com.sun.jna.LastErrorException ignored) {
                // already gone
            }
            try {
                exit.get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the test that cared
            }
        }
        pty.close();
    }
}

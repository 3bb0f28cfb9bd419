package jail.namespace.spawn;

import java.util.ArrayList;
import java.util.List;

/**
 * What to posix_spawn: program, argv (argv[0] may differ from the program, e.g. "-bash"), environment, and
 * the fd set-up the child gets, applied in order after setsid (glibc runs setsid before the file actions, so
 * opening a tty there makes it the controlling terminal).
 */
public final class SpawnRequest {
    sealed interface FileAction {}
    record Dup2(int fd, int newFd) implements FileAction {}
    record Open(int fd, String path, int flags, int mode) implements FileAction {}
    record CloseFrom(int from) implements FileAction {}
    record Chdir(String path) implements FileAction {}

    final String program;
    final List<String> argv;
    final List<String> env;
    final List<FileAction> actions = new ArrayList<>();
    boolean newSession;
    int[] blockedSignals = {};

    public SpawnRequest(String program, List<String> argv, List<String> env) {
        this.program = program;
        this.argv = List.copyOf(argv);
        this.env = List.copyOf(env);
    }

    /** The child starts a new session (setsid) and so has no controlling terminal until it opens one. */
    public SpawnRequest newSession() {
        newSession = true;
        return this;
    }

    /**
     * Signals blocked in the child from its first instruction (the mask survives exec); all others are
     * unblocked. For a JVM that reads these from a signalfd: the mask must be in place before its threads start.
     */
    public SpawnRequest blockSignals(int... signals) {
        blockedSignals = signals.clone();
        return this;
    }

    public SpawnRequest dup2(int fd, int newFd) {
        actions.add(new Dup2(fd, newFd));
        return this;
    }

    public SpawnRequest open(int fd, String path, int flags, int mode) {
        actions.add(new Open(fd, path, flags, mode));
        return this;
    }

    /** Closes every fd from {@code from} up: the child gets exactly the fds below it. */
    public SpawnRequest closeFrom(int from) {
        actions.add(new CloseFrom(from));
        return this;
    }

    public SpawnRequest chdir(String path) {
        actions.add(new Chdir(path));
        return this;
    }

    public String program() {
        return program;
    }
}

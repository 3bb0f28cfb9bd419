package jail.session.container;

import jail.namespace.spawn.SpawnRequest;
import jail.session.init.InitSignals;

import java.util.List;

import static jail.namespace.jna.Constants.O_RDONLY;

/**
 * The container init to start: the java launcher, its argv and environment, and the fds it gets (stdin
 * /dev/null, stdout and stderr {@code output}, fd 3 the readiness pipe); {@code uid} and {@code gid} are the
 * container user's.
 */
record InitProcess(int uid, int gid, String java, List<String> argv, List<String> env, int output, int ready) {
    /** Where the init finds its readiness pipe. */
    static final int READY_FD = 3;

    /**
     * posix_spawn of {@code program} (the init itself or a helper that execs it) with the init's session, signal
     * mask and fds 0-3 in place; the caller adds its own fds and closes the rest.
     */
    SpawnRequest request(String program, List<String> programArgv) {
        return new SpawnRequest(program, programArgv, env).newSession()
                .blockSignals(InitSignals.taken())
                .open(0, "/dev/null", O_RDONLY, 0)
                .dup2(output, 1)
                .dup2(output, 2)
                .dup2(ready, READY_FD);
    }
}

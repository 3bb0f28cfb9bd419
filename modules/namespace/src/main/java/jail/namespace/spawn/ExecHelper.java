package jail.namespace.spawn;

import jail.namespace.NativeFd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jail.namespace.jna.Constants.*;

/**
 * jail-exec, the helper every session starts through (see its source for why it exists): held open from the
 * init's start, while the init still sees the host filesystem, and executed through {@code /proc/self/fd/3}
 * in the child, so that a spawner thread inside the container's root can run a host binary the container
 * cannot see or replace.
 */
public final class ExecHelper implements AutoCloseable {
    /** The fd the helper's binary is given in the child, for exec to open it from. */
    private static final int CHILD_FD = 3;

    private final int fd;

    private ExecHelper(int fd) {
        this.fd = fd;
    }

    public static ExecHelper open(Path binary) {
        return new ExecHelper(NativeFd.open(binary.toString(), O_RDONLY | O_CLOEXEC, 0));
    }

    /**
     * The spawn of {@code program} with its fds 0-2 set up by {@code session}, turned into a spawn of the helper
     * that confines itself as {@code confinement} says and then execs the program. Every other fd is closed.
     */
    public SpawnRequest confined(SpawnRequest session, Confinement confinement) {
        return confined(session, confinement, new int[0]);
    }

    /**
     * As {@link #confined(SpawnRequest, Confinement)}, and the helper first joins the cgroups whose
     * {@code cgroup.procs} are open as {@code cgroupProcs} (ours; the child gets copies from fd 4 on).
     */
    public SpawnRequest confined(SpawnRequest session, Confinement confinement, int[] cgroupProcs) {
        List<String> argv = new ArrayList<>();
        argv.add("jail-exec");
        for (int i = 0; i < cgroupProcs.length; i++) {
            argv.add("--join-cgroup");
            argv.add(String.valueOf(CHILD_FD + 1 + i));
        }
        argv.addAll(confinement.helperArguments());
        argv.add("--");
        argv.add(session.program);
        argv.addAll(session.argv);
        SpawnRequest helper = new SpawnRequest("/proc/self/fd/" + CHILD_FD, argv, session.env);
        helper.newSession = session.newSession;
        helper.actions.addAll(session.actions);
        helper.dup2(fd, CHILD_FD);
        for (int i = 0; i < cgroupProcs.length; i++) helper.dup2(cgroupProcs[i], CHILD_FD + 1 + i);
        return helper.closeFrom(CHILD_FD + 1 + cgroupProcs.length);
    }

    @Override
    public void close() {
        NativeFd.close(fd);
    }
}

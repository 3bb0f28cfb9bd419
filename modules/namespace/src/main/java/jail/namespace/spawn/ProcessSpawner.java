package jail.namespace.spawn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import jail.namespace.SyscallException;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * posix_spawn(3) through JNA. No Java code ever runs in the child: glibc clones with CLONE_VM|CLONE_VFORK,
 * applies the attributes and file actions in C, and execs. The child inherits the calling thread's
 * namespaces, root, cwd and credentials, which is how a spawner thread that entered the container and
 * dropped privileges gives them to the session.
 *
 * <p>Every signal disposition is reset to default and the mask is emptied (but for what the request blocks on
 * purpose): a JVM blocks and handles signals a shell must see (and an ignored SIGINT would survive exec).
 */
public final class ProcessSpawner {
    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128 on x86_64;
    // we allocate more than enough.
    private static final int OPAQUE_SIZE = 512;

    private ProcessSpawner() {}

    /** Spawns and returns the child's pid; the caller owns reaping it. */
    public static int spawn(SpawnRequest request) {
        try (Memory actions = new Memory(OPAQUE_SIZE); Memory attr = new Memory(OPAQUE_SIZE);
             Memory allSignals = new Memory(OPAQUE_SIZE); Memory blocked = new Memory(OPAQUE_SIZE)) {
            check("posix_spawn_file_actions_init", request, LibC.posix_spawn_file_actions_init(actions));
            check("posix_spawnattr_init", request, LibC.posix_spawnattr_init(attr));
            try {
                LibC.sigfillset(allSignals);
                LibC.sigemptyset(blocked);
                for (int signal : request.blockedSignals) LibC.sigaddset(blocked, signal);
                short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
                        | (request.newSession ? POSIX_SPAWN_SETSID : 0));
                check("posix_spawnattr_setflags", request, LibC.posix_spawnattr_setflags(attr, flags));
                check("posix_spawnattr_setsigdefault", request, LibC.posix_spawnattr_setsigdefault(attr, allSignals));
                check("posix_spawnattr_setsigmask", request, LibC.posix_spawnattr_setsigmask(attr, blocked));
                for (SpawnRequest.FileAction action : request.actions) {
                    addAction(actions, action, request);
                }
                IntByReference pid = new IntByReference();
                // NULL-terminated char *[] (StringArray adds the NULL)
                StringArray argv = new StringArray(request.argv.toArray(String[]::new), "UTF-8");
                StringArray envp = new StringArray(request.env.toArray(String[]::new), "UTF-8");
                check("posix_spawn", request, LibC.posix_spawn(pid, request.program, actions, attr, argv, envp));
                return pid.getValue();
            } finally {
                LibC.posix_spawn_file_actions_destroy(actions);
                LibC.posix_spawnattr_destroy(attr);
            }
        }
    }

    private static void addAction(Pointer actions, SpawnRequest.FileAction action, SpawnRequest request) {
        if (action instanceof SpawnRequest.Dup2 d) {
            check("posix_spawn_file_actions_adddup2", request, LibC.posix_spawn_file_actions_adddup2(actions, d.fd(), d.newFd()));
        } else if (action instanceof SpawnRequest.Open o) {
            check("posix_spawn_file_actions_addopen", request,
                    LibC.posix_spawn_file_actions_addopen(actions, o.fd(), o.path(), o.flags(), o.mode()));
        } else if (action instanceof SpawnRequest.CloseFrom c) {
            check("posix_spawn_file_actions_addclosefrom_np", request,
                    LibC.posix_spawn_file_actions_addclosefrom_np(actions, c.from()));
        } else if (action instanceof SpawnRequest.Chdir c) {
            check("posix_spawn_file_actions_addchdir_np", request, LibC.posix_spawn_file_actions_addchdir_np(actions, c.path()));
        }
    }

    private static void check(String call, SpawnRequest request, int result) {
        if (result != 0) throw new SyscallException(call, request.program, result);
    }
}

package jail.namespace.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The one call of libseccomp jaild needs itself: whether a system call name exists, to refuse a bad profile
 * when the container starts rather than at each session. The filter is built and loaded by jail-exec (C,
 * the same library), in the process that becomes the session.
 */
public interface LibSeccomp extends Library {
    /** Loaded on first use, by soname (libseccomp2, which Debian's systemd and apt depend on). */
    static LibSeccomp instance() {
        return Holder.INSTANCE;
    }

    /** The syscall number of the native architecture, -1 (__NR_SCMP_ERROR) if unknown, below -10000 if not native. */
    int seccomp_syscall_resolve_name(String name);

    final class Holder {
        private static final LibSeccomp INSTANCE = Native.load("libseccomp.so.2", LibSeccomp.class);

        private Holder() {}
    }
}

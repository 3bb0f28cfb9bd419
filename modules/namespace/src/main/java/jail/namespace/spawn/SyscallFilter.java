package jail.namespace.spawn;

import jail.namespace.jna.LibSeccomp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The seccomp filter of a container's sessions: the system calls that fail with EPERM; everything else is
 * allowed (a deny list, as Docker, nspawn and nsjail ship by default). jail-exec builds it with libseccomp
 * and loads it before the program runs. Two names stand for argument-dependent rules:
 * {@value #NEW_USER_NAMESPACES} (clone/unshare with CLONE_NEWUSER; clone3 answers ENOSYS so that glibc falls
 * back to clone) and {@value #SIGNALS_TO_THE_INIT} (the fatal signals the init's JVM handles, and prlimit on
 * another process).
 *
 * <p>A profile file lists names, one per line ({@code #} starts a comment): {@code @default} for the
 * built-in list, a system call name to refuse it, {@code !name} to allow one the list so far refuses.
 */
public record SyscallFilter(List<String> denied) {
    public static final String NEW_USER_NAMESPACES = "@new-user-namespaces";
    public static final String SIGNALS_TO_THE_INIT = "@signals-to-the-init";

    /**
     * What a container user never needs, and what reaches kernel state the host shares: keyrings (per uid,
     * the host user's own), BPF, perf, userfaultfd, modules, kexec, file handles, mounts and namespaces,
     * swap, reboot, the clock, the kernel log, accounting, quotas, raw port I/O, io_uring.
     */
    public static final SyscallFilter DEFAULT = new SyscallFilter(List.of(
            "keyctl", "add_key", "request_key",
            "bpf", "perf_event_open", "userfaultfd", "fanotify_init", "lookup_dcookie",
            "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
            "open_by_handle_at",
            "mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
            "mount_setattr", "setns", NEW_USER_NAMESPACES,
            "swapon", "swapoff", "reboot", "acct", "quotactl",
            "settimeofday", "clock_settime", "clock_adjtime", "syslog",
            "ioperm", "iopl", "uselib", "ustat", "sysfs", "_sysctl", "nfsservctl",
            "io_uring_setup", "io_uring_enter", "io_uring_register",
            SIGNALS_TO_THE_INIT));

    /** libseccomp's __NR_SCMP_ERROR: no such system call on any architecture it knows. */
    private static final int UNKNOWN = -1;

    /** No filter at all. */
    public static final SyscallFilter UNCONFINED = new SyscallFilter(List.of());

    public SyscallFilter {
        denied = List.copyOf(denied);
    }

    public boolean confines() {
        return !denied.isEmpty();
    }

    /** Thrown for a profile jail-exec could not build; the message names the line. */
    public static final class ProfileException extends IllegalArgumentException {
        public ProfileException(String message) {
            super(message);
        }
    }

    /**
     * The filter a configuration names: {@code default}, {@code unconfined}, or the absolute path of a profile
     * file (read now: a bad profile stops the container's start, not each of its sessions).
     */
    public static SyscallFilter of(String setting) {
        if (setting.equals("default")) return DEFAULT;
        if (setting.equals("unconfined")) return UNCONFINED;
        java.nio.file.Path file = java.nio.file.Path.of(setting);
        if (!file.isAbsolute()) throw new ProfileException("'" + setting + "' is not default, unconfined or an absolute path");
        try {
            return parse(java.nio.file.Files.readString(file), setting);
        } catch (java.io.IOException e) {
            throw new ProfileException("cannot read seccomp profile " + setting + ": " + e.getMessage());
        }
    }

    /** A profile's text; {@code source} names it in errors. Names are checked against libseccomp's table. */
    public static SyscallFilter parse(String text, String source) {
        Set<String> names = new LinkedHashSet<>();
        int lineNumber = 0;
        for (String raw : text.split("\n", -1)) {
            lineNumber++;
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            line = line.strip();
            if (line.isEmpty()) continue;
            String where = source + ":" + lineNumber + ": ";
            if (line.equals("@default")) {
                names.addAll(DEFAULT.denied());
            } else if (line.startsWith("!")) {
                String name = checked(line.substring(1).strip(), where);
                if (!names.remove(name)) throw new ProfileException(where + name + " is not refused above, nothing to allow");
            } else {
                names.add(checked(line, where));
            }
        }
        return new SyscallFilter(new ArrayList<>(names));
    }

    private static String checked(String name, String where) {
        if (name.equals(NEW_USER_NAMESPACES) || name.equals(SIGNALS_TO_THE_INIT)) return name;
        if (!name.matches("[a-z0-9_]+")) throw new ProfileException(where + "'" + name + "' is not a system call name");
        if (LibSeccomp.instance().seccomp_syscall_resolve_name(name) == UNKNOWN) {
            throw new ProfileException(where + "unknown system call '" + name + "'");
        }
        return name;
    }
}

package jail.namespace;

import com.sun.jna.LastErrorException;
import jail.namespace.jna.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static jail.namespace.jna.Constants.*;

/**
 * Turns the calling thread (and only it) into the session's user, in the order that makes it safe (as nsjail
 * and OpenSSH do): shrink the capability bounding set while we still hold CAP_SETPCAP, set the supplementary
 * groups and the gid while still root, the uid last, then no_new_privs, then verify from the kernel's view.
 *
 * <p>Raw syscalls, not glibc: glibc's setresuid(3) family signals every thread of the process to follow
 * (POSIX semantics), which would turn the whole init JVM into the user.
 */
public final class PrivilegeDrop {
    private static final LibC C = LibC.INSTANCE;

    /**
     * Capabilities no session keeps in its bounding set, even a uid-0 one: they reach past the container's
     * walls (mounts, modules, raw I/O, ptrace of the init, reboot, device nodes, clock, network config...).
     */
    static final int[] DANGEROUS_CAPS = {
            2,  // CAP_DAC_READ_SEARCH: open_by_handle_at(2) opens host files by inode, past any pivot_root
            12, // CAP_NET_ADMIN: the network stack is the host's
            13, // CAP_NET_RAW: packet sockets would see and forge the host's traffic
            16, // CAP_SYS_MODULE
            17, // CAP_SYS_RAWIO
            19, // CAP_SYS_PTRACE
            20, // CAP_SYS_PACCT
            21, // CAP_SYS_ADMIN
            22, // CAP_SYS_BOOT
            25, // CAP_SYS_TIME
            27, // CAP_MKNOD
            30, // CAP_AUDIT_CONTROL
            32, // CAP_MAC_OVERRIDE
            33, // CAP_MAC_ADMIN
            34, // CAP_SYSLOG
            35, // CAP_WAKE_ALARM
            36, // CAP_BLOCK_SUSPEND
            38, // CAP_PERFMON
            39, // CAP_BPF
            40, // CAP_CHECKPOINT_RESTORE
    };

    private PrivilegeDrop() {}

    public static void apply(Credentials target, boolean noNewPrivs) {
        dropBoundingSet();
        int[] groups = target.groups();
        // No lambdas or new classes here: this runs on a thread already inside the container's root.
        try {
            C.syscall(LibC.SYS_SETGROUPS, groups.length, groups.length == 0 ? new int[1] : groups);
        } catch (LastErrorException e) {
            throw SyscallException.of("setgroups", target.toString(), e);
        }
        try {
            C.syscall(LibC.SYS_SETRESGID, target.gid(), target.gid(), target.gid());
        } catch (LastErrorException e) {
            throw SyscallException.of("setresgid", "gid " + target.gid(), e);
        }
        try {
            C.syscall(LibC.SYS_SETRESUID, target.uid(), target.uid(), target.uid());
        } catch (LastErrorException e) {
            throw SyscallException.of("setresuid", "uid " + target.uid(), e);
        }
        if (noNewPrivs) {
            try {
                C.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            } catch (LastErrorException e) {
                throw SyscallException.of("prctl", "PR_SET_NO_NEW_PRIVS", e);
            }
        }
        verify(target);
    }

    private static void dropBoundingSet() {
        for (int cap : DANGEROUS_CAPS) {
            try {
                C.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINVAL) { // EINVAL: this kernel does not know the capability
                    throw SyscallException.of("prctl(PR_CAPBSET_DROP)", "cap " + cap, e);
                }
            }
        }
    }

    /** Reads back what the kernel says this thread now is; any difference aborts the spawn. */
    private static void verify(Credentials target) {
        String status;
        try {
            status = Files.readString(Path.of("/proc/thread-self/status"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot verify credentials: " + e.getMessage(), e);
        }
        String uid = target.uid() + "\t" + target.uid() + "\t" + target.uid() + "\t" + target.uid();
        String gid = target.gid() + "\t" + target.gid() + "\t" + target.gid() + "\t" + target.gid();
        int[] want = target.groups();
        Arrays.sort(want);
        String[] listed = field(status, "Groups:").isEmpty() ? new String[0] : field(status, "Groups:").split("\\s+");
        int[] have = new int[listed.length];
        for (int i = 0; i < listed.length; i++) have[i] = Integer.parseInt(listed[i]);
        Arrays.sort(have);
        if (!field(status, "Uid:").equals(uid) || !field(status, "Gid:").equals(gid) || !Arrays.equals(want, have)) {
            throw new IllegalStateException("credential switch did not take: " + target);
        }
        if (target.uid() != 0 && !field(status, "CapEff:").matches("0+")) {
            throw new IllegalStateException("capabilities left after switching to uid " + target.uid());
        }
        long bounding = Long.parseUnsignedLong(field(status, "CapBnd:"), 16);
        for (int cap : DANGEROUS_CAPS) {
            if ((bounding & (1L << cap)) != 0) {
                throw new IllegalStateException("capability " + cap + " still in the bounding set");
            }
        }
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).trim();
        }
        return "";
    }

}

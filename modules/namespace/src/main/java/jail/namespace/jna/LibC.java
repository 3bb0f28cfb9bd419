package jail.namespace.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

import java.util.Map;

/**
 * Our JNA binding of the glibc calls jail needs, and nothing else. Every call that sets errno is declared
 * {@code throws LastErrorException} so JNA captures errno on the calling thread; the classes above this one
 * turn that into a {@link jail.namespace.SyscallException} naming the call and the path.
 *
 * <p>No credential change is bound here: no thread of a jail JVM ever changes its credentials (a session's
 * are set by the jail-exec helper, in the process that becomes the session).
 */
public interface LibC extends Library {

    LibC INSTANCE = load();

    private static LibC load() {
        // Loading by soname avoids JNA's "/sbin/ldconfig -p" child process, which must never run inside an
        // init that reaps every child itself (see docs/architecture.md).
        return Native.load("libc.so.6", LibC.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    }

    // --- syscall numbers (x86_64) used through syscall(2) ---
    long SYS_PIVOT_ROOT = 155;
    long SYS_OPEN_TREE = 428;
    long SYS_MOVE_MOUNT = 429;
    long SYS_OPENAT2 = 437;
    long SYS_MOUNT_SETATTR = 442;

    // --- processes, credentials ---
    int getpid();
    /** _exit(2): ends the process now, without the JVM's exit sequence. */
    void _exit(int status);
    int getuid();
    int geteuid();
    int getgid();
    int kill(int pid, int sig) throws LastErrorException;
    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;
    long syscall(long number, String a1, String a2) throws LastErrorException;
    /** open_tree(dfd, path, flags) */
    long syscall(long number, int dfd, String path, long flags) throws LastErrorException;
    /** openat2(dfd, path, how, size) */
    long syscall(long number, int dfd, String path, Pointer how, long size) throws LastErrorException;
    /** mount_setattr(dfd, path, flags, attr, size) */
    long syscall(long number, int dfd, String path, long flags, Pointer attr, long size) throws LastErrorException;
    /** move_mount(from_dfd, from_path, to_dfd, to_path, flags) */
    long syscall(long number, int fromDfd, String fromPath, int toDfd, String toPath, long flags) throws LastErrorException;
    int prlimit(int pid, int resource, Pointer newLimit, Pointer oldLimit) throws LastErrorException;

    // --- namespaces, mounts ---
    int unshare(int flags) throws LastErrorException;
    int setns(int fd, int nstype) throws LastErrorException;
    int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;
    int umount2(String target, int flags) throws LastErrorException;
    int chdir(String path) throws LastErrorException;
    int sethostname(String name, long len) throws LastErrorException;

    // --- files ---
    int open(String path, int flags, int mode) throws LastErrorException;
    int close(int fd) throws LastErrorException;
    long read(int fd, Pointer buf, long count) throws LastErrorException;
    long write(int fd, Pointer buf, long count) throws LastErrorException;
    long write(int fd, byte[] buf, long count) throws LastErrorException;
    int pipe2(int[] fds, int flags) throws LastErrorException;
    int eventfd(int initval, int flags) throws LastErrorException;
    int fcntl(int fd, int cmd, int arg) throws LastErrorException;
    int mkdir(String path, int mode) throws LastErrorException;
    int mkdirat(int dirfd, String path, int mode) throws LastErrorException;
    int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;
    int fstat(int fd, Pointer statbuf) throws LastErrorException;
    long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;
    long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;
    int unlinkat(int dirfd, String path, int flags) throws LastErrorException;
    int fchown(int fd, int uid, int gid) throws LastErrorException;
    int fchmod(int fd, int mode) throws LastErrorException;
    int chown(String path, int uid, int gid) throws LastErrorException;
    int chmod(String path, int mode) throws LastErrorException;
    int symlink(String target, String linkpath) throws LastErrorException;
    int poll(PollFd[] fds, int nfds, int timeoutMillis) throws LastErrorException;
    /** poll(2) over a raw array of struct pollfd (8 bytes each: int fd, short events, short revents). */
    int poll(Pointer fds, int nfds, int timeoutMillis) throws LastErrorException;

    // --- terminals ---
    int ioctl(int fd, long request, IntByReference arg) throws LastErrorException;
    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;
    int ioctl(int fd, long request, long arg) throws LastErrorException;
    int tcgetattr(int fd, Pointer termios) throws LastErrorException;
    int tcsetattr(int fd, int action, Pointer termios) throws LastErrorException;
    void cfmakeraw(Pointer termios);
    int isatty(int fd);

    // --- sockets, splice ---
    int socket(int domain, int type, int protocol) throws LastErrorException;
    int connect(int fd, Pointer addr, int len) throws LastErrorException;
    int shutdown(int fd, int how) throws LastErrorException;
    int setsockopt(int fd, int level, int name, IntByReference value, int len) throws LastErrorException;
    int getsockopt(int fd, int level, int name, IntByReference value, IntByReference len) throws LastErrorException;
    long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags) throws LastErrorException;

    // --- posix_spawn (these return an error number instead of setting errno) ---
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr,
                    String[] argv, String[] envp);
    int posix_spawn_file_actions_init(Pointer actions);
    int posix_spawn_file_actions_destroy(Pointer actions);
    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);
    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);
    int posix_spawnattr_init(Pointer attr);
    int posix_spawnattr_destroy(Pointer attr);
    int posix_spawnattr_setflags(Pointer attr, short flags);
    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    int sigemptyset(Pointer set);
    int sigfillset(Pointer set);
    int sigaddset(Pointer set, int signal);
    int signalfd(int fd, Pointer mask, int flags) throws LastErrorException;

    /** struct pollfd. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }
}

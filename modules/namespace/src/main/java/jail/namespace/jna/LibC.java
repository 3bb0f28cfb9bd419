package jail.namespace.jna;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import java.util.Map;

/**
 * Our JNA binding of the glibc calls jail needs, and nothing else. Every call that sets errno is made with
 * JNA's {@link Function#THROW_LAST_ERROR}, so JNA captures errno on the calling thread and throws
 * {@link LastErrorException}; the classes above this one turn that into a {@link jail.namespace.SyscallException}
 * naming the call and the path.
 *
 * <p>Written as static methods over JNA's {@link Function} rather than as a {@code Library} interface or with
 * direct mapping, for the start of every jail JVM (a login runs one): an interface is bound through a
 * {@link java.lang.reflect.Proxy} whose class the JDK generates at run time (about 30 ms for these eighty
 * methods, and no AOT cache can hold it), and direct mapping ({@code Native.register}) first builds JNA's
 * structure types by reflection (about 20 ms). Looking up a symbol and calling it costs neither; a function is
 * looked up on its first call, so a symbol that an older glibc lacks fails only the call that needs it.
 *
 * <p>No credential change is bound here: no thread of a jail JVM ever changes its credentials (a session's
 * are set by the jail-exec helper, in the process that becomes the session).
 */
public final class LibC {

    // Loading by soname avoids JNA's "/sbin/ldconfig -p" child process, which must never run inside an init that
    // reaps every child itself (see docs/architecture.md).
    private static final NativeLibrary LIBRARY =
            NativeLibrary.getInstance("libc.so.6", Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    private static final Object[] NO_ARGS = {};
    private static final int ERRNO = Function.THROW_LAST_ERROR;
    private static final int PLAIN = Function.C_CONVENTION;

    /** One C function, looked up on its first call. */
    private static final class Call {
        private final String name;
        private final int flags;
        private volatile Function function;

        Call(String name, int flags) {
            this.name = name;
            this.flags = flags;
        }

        private Function function() {
            Function f = function;
            if (f == null) function = f = LIBRARY.getFunction(name, flags);
            return f;
        }

        int invokeInt(Object[] args) {
            return function().invokeInt(args);
        }

        long invokeLong(Object[] args) {
            return function().invokeLong(args);
        }

        void invokeVoid(Object[] args) {
            function().invokeVoid(args);
        }
    }

    private static final Call GETPID = new Call("getpid", PLAIN);
    private static final Call _EXIT = new Call("_exit", PLAIN);
    private static final Call GETUID = new Call("getuid", PLAIN);
    private static final Call GETEUID = new Call("geteuid", PLAIN);
    private static final Call GETGID = new Call("getgid", PLAIN);
    private static final Call KILL = new Call("kill", ERRNO);
    private static final Call WAITPID = new Call("waitpid", ERRNO);
    private static final Call SYSCALL = new Call("syscall", ERRNO);
    private static final Call PRLIMIT = new Call("prlimit", ERRNO);
    private static final Call UNSHARE = new Call("unshare", ERRNO);
    private static final Call SETNS = new Call("setns", ERRNO);
    private static final Call MOUNT = new Call("mount", ERRNO);
    private static final Call UMOUNT2 = new Call("umount2", ERRNO);
    private static final Call CHDIR = new Call("chdir", ERRNO);
    private static final Call SETHOSTNAME = new Call("sethostname", ERRNO);
    private static final Call OPEN = new Call("open", ERRNO);
    private static final Call CLOSE = new Call("close", ERRNO);
    private static final Call READ = new Call("read", ERRNO);
    private static final Call WRITE = new Call("write", ERRNO);
    private static final Call PIPE2 = new Call("pipe2", ERRNO);
    private static final Call EVENTFD = new Call("eventfd", ERRNO);
    private static final Call FCNTL = new Call("fcntl", ERRNO);
    private static final Call MKDIR = new Call("mkdir", ERRNO);
    private static final Call MKDIRAT = new Call("mkdirat", ERRNO);
    private static final Call OPENAT = new Call("openat", ERRNO);
    private static final Call FSTAT = new Call("fstat", ERRNO);
    private static final Call PREAD = new Call("pread", ERRNO);
    private static final Call PWRITE = new Call("pwrite", ERRNO);
    private static final Call UNLINKAT = new Call("unlinkat", ERRNO);
    private static final Call FCHOWN = new Call("fchown", ERRNO);
    private static final Call FCHMOD = new Call("fchmod", ERRNO);
    private static final Call CHOWN = new Call("chown", ERRNO);
    private static final Call CHMOD = new Call("chmod", ERRNO);
    private static final Call SYMLINK = new Call("symlink", ERRNO);
    private static final Call POLL = new Call("poll", ERRNO);
    private static final Call EPOLL_CREATE1 = new Call("epoll_create1", ERRNO);
    private static final Call EPOLL_CTL = new Call("epoll_ctl", ERRNO);
    private static final Call EPOLL_WAIT = new Call("epoll_wait", ERRNO);
    private static final Call IOCTL = new Call("ioctl", ERRNO);
    private static final Call TCGETATTR = new Call("tcgetattr", ERRNO);
    private static final Call TCSETATTR = new Call("tcsetattr", ERRNO);
    private static final Call CFMAKERAW = new Call("cfmakeraw", PLAIN);
    private static final Call ISATTY = new Call("isatty", PLAIN);
    private static final Call FCHOWNAT = new Call("fchownat", ERRNO);
    private static final Call FSTATAT = new Call("fstatat", ERRNO);
    private static final Call FCHDIR = new Call("fchdir", ERRNO);
    private static final Call UMASK = new Call("umask", PLAIN);
    private static final Call SOCKET = new Call("socket", ERRNO);
    private static final Call BIND = new Call("bind", ERRNO);
    private static final Call LISTEN = new Call("listen", ERRNO);
    private static final Call ACCEPT4 = new Call("accept4", ERRNO);
    private static final Call CONNECT = new Call("connect", ERRNO);
    private static final Call SHUTDOWN = new Call("shutdown", ERRNO);
    private static final Call SETSOCKOPT = new Call("setsockopt", ERRNO);
    private static final Call GETSOCKOPT = new Call("getsockopt", ERRNO);
    private static final Call SPLICE = new Call("splice", ERRNO);
    private static final Call POSIX_SPAWN = new Call("posix_spawn", PLAIN);
    private static final Call POSIX_SPAWN_FILE_ACTIONS_INIT = new Call("posix_spawn_file_actions_init", PLAIN);
    private static final Call POSIX_SPAWN_FILE_ACTIONS_DESTROY = new Call("posix_spawn_file_actions_destroy", PLAIN);
    private static final Call POSIX_SPAWN_FILE_ACTIONS_ADDDUP2 = new Call("posix_spawn_file_actions_adddup2", PLAIN);
    private static final Call POSIX_SPAWN_FILE_ACTIONS_ADDOPEN = new Call("posix_spawn_file_actions_addopen", PLAIN);
    private static final Call POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP = new Call("posix_spawn_file_actions_addclosefrom_np", PLAIN);
    private static final Call POSIX_SPAWN_FILE_ACTIONS_ADDCHDIR_NP = new Call("posix_spawn_file_actions_addchdir_np", PLAIN);
    private static final Call POSIX_SPAWNATTR_INIT = new Call("posix_spawnattr_init", PLAIN);
    private static final Call POSIX_SPAWNATTR_DESTROY = new Call("posix_spawnattr_destroy", PLAIN);
    private static final Call POSIX_SPAWNATTR_SETFLAGS = new Call("posix_spawnattr_setflags", PLAIN);
    private static final Call POSIX_SPAWNATTR_SETSIGMASK = new Call("posix_spawnattr_setsigmask", PLAIN);
    private static final Call POSIX_SPAWNATTR_SETSIGDEFAULT = new Call("posix_spawnattr_setsigdefault", PLAIN);
    private static final Call SIGEMPTYSET = new Call("sigemptyset", PLAIN);
    private static final Call SIGFILLSET = new Call("sigfillset", PLAIN);
    private static final Call SIGADDSET = new Call("sigaddset", PLAIN);
    private static final Call SIGNALFD = new Call("signalfd", ERRNO);

    private LibC() {}

    // --- syscall numbers (x86_64) used through syscall(2) ---
    public static final long SYS_PIVOT_ROOT = 155;
    public static final long SYS_OPEN_TREE = 428;
    public static final long SYS_MOVE_MOUNT = 429;
    public static final long SYS_OPENAT2 = 437;
    public static final long SYS_MOUNT_SETATTR = 442;

    // --- processes, credentials ---
    public static int getpid() {
        return GETPID.invokeInt(NO_ARGS);
    }

    /** _exit(2): ends the process now, without the JVM's exit sequence. */
    public static void _exit(int status) {
        _EXIT.invokeVoid(new Object[]{status});
    }

    public static int getuid() {
        return GETUID.invokeInt(NO_ARGS);
    }

    public static int geteuid() {
        return GETEUID.invokeInt(NO_ARGS);
    }

    public static int getgid() {
        return GETGID.invokeInt(NO_ARGS);
    }

    public static int kill(int pid, int sig) throws LastErrorException {
        return KILL.invokeInt(new Object[]{pid, sig});
    }

    public static int waitpid(int pid, IntByReference status, int options) throws LastErrorException {
        return WAITPID.invokeInt(new Object[]{pid, status, options});
    }

    public static long syscall(long number, String a1, String a2) throws LastErrorException {
        return SYSCALL.invokeLong(new Object[]{number, a1, a2});
    }

    /** open_tree(dfd, path, flags) */
    public static long syscall(long number, int dfd, String path, long flags) throws LastErrorException {
        return SYSCALL.invokeLong(new Object[]{number, dfd, path, flags});
    }

    /** openat2(dfd, path, how, size) */
    public static long syscall(long number, int dfd, String path, Pointer how, long size) throws LastErrorException {
        return SYSCALL.invokeLong(new Object[]{number, dfd, path, how, size});
    }

    /** mount_setattr(dfd, path, flags, attr, size) */
    public static long syscall(long number, int dfd, String path, long flags, Pointer attr, long size) throws LastErrorException {
        return SYSCALL.invokeLong(new Object[]{number, dfd, path, flags, attr, size});
    }

    /** move_mount(from_dfd, from_path, to_dfd, to_path, flags) */
    public static long syscall(long number, int fromDfd, String fromPath, int toDfd, String toPath, long flags) throws LastErrorException {
        return SYSCALL.invokeLong(new Object[]{number, fromDfd, fromPath, toDfd, toPath, flags});
    }

    public static int prlimit(int pid, int resource, Pointer newLimit, Pointer oldLimit) throws LastErrorException {
        return PRLIMIT.invokeInt(new Object[]{pid, resource, newLimit, oldLimit});
    }

    // --- namespaces, mounts ---
    public static int unshare(int flags) throws LastErrorException {
        return UNSHARE.invokeInt(new Object[]{flags});
    }

    public static int setns(int fd, int nstype) throws LastErrorException {
        return SETNS.invokeInt(new Object[]{fd, nstype});
    }

    public static int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException {
        return MOUNT.invokeInt(new Object[]{source, target, fstype, flags, data});
    }

    public static int umount2(String target, int flags) throws LastErrorException {
        return UMOUNT2.invokeInt(new Object[]{target, flags});
    }

    public static int chdir(String path) throws LastErrorException {
        return CHDIR.invokeInt(new Object[]{path});
    }

    public static int sethostname(String name, long len) throws LastErrorException {
        return SETHOSTNAME.invokeInt(new Object[]{name, len});
    }

    // --- files ---
    public static int open(String path, int flags, int mode) throws LastErrorException {
        return OPEN.invokeInt(new Object[]{path, flags, mode});
    }

    public static int close(int fd) throws LastErrorException {
        return CLOSE.invokeInt(new Object[]{fd});
    }

    public static long read(int fd, Pointer buf, long count) throws LastErrorException {
        return READ.invokeLong(new Object[]{fd, buf, count});
    }

    public static long read(int fd, byte[] buf, long count) throws LastErrorException {
        return READ.invokeLong(new Object[]{fd, buf, count});
    }

    public static long write(int fd, Pointer buf, long count) throws LastErrorException {
        return WRITE.invokeLong(new Object[]{fd, buf, count});
    }

    public static long write(int fd, byte[] buf, long count) throws LastErrorException {
        return WRITE.invokeLong(new Object[]{fd, buf, count});
    }

    public static int pipe2(int[] fds, int flags) throws LastErrorException {
        return PIPE2.invokeInt(new Object[]{fds, flags});
    }

    public static int eventfd(int initval, int flags) throws LastErrorException {
        return EVENTFD.invokeInt(new Object[]{initval, flags});
    }

    public static int fcntl(int fd, int cmd, int arg) throws LastErrorException {
        return FCNTL.invokeInt(new Object[]{fd, cmd, arg});
    }

    public static int mkdir(String path, int mode) throws LastErrorException {
        return MKDIR.invokeInt(new Object[]{path, mode});
    }

    public static int mkdirat(int dirfd, String path, int mode) throws LastErrorException {
        return MKDIRAT.invokeInt(new Object[]{dirfd, path, mode});
    }

    public static int openat(int dirfd, String path, int flags, int mode) throws LastErrorException {
        return OPENAT.invokeInt(new Object[]{dirfd, path, flags, mode});
    }

    public static int fstat(int fd, Pointer statbuf) throws LastErrorException {
        return FSTAT.invokeInt(new Object[]{fd, statbuf});
    }

    public static long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException {
        return PREAD.invokeLong(new Object[]{fd, buf, count, offset});
    }

    public static long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException {
        return PWRITE.invokeLong(new Object[]{fd, buf, count, offset});
    }

    public static int unlinkat(int dirfd, String path, int flags) throws LastErrorException {
        return UNLINKAT.invokeInt(new Object[]{dirfd, path, flags});
    }

    public static int fchown(int fd, int uid, int gid) throws LastErrorException {
        return FCHOWN.invokeInt(new Object[]{fd, uid, gid});
    }

    public static int fchmod(int fd, int mode) throws LastErrorException {
        return FCHMOD.invokeInt(new Object[]{fd, mode});
    }

    public static int chown(String path, int uid, int gid) throws LastErrorException {
        return CHOWN.invokeInt(new Object[]{path, uid, gid});
    }

    public static int chmod(String path, int mode) throws LastErrorException {
        return CHMOD.invokeInt(new Object[]{path, mode});
    }

    public static int symlink(String target, String linkpath) throws LastErrorException {
        return SYMLINK.invokeInt(new Object[]{target, linkpath});
    }

    /** poll(2) over a raw array of struct pollfd (8 bytes each: int fd, short events, short revents). */
    public static int poll(Pointer fds, int nfds, int timeoutMillis) throws LastErrorException {
        return POLL.invokeInt(new Object[]{fds, nfds, timeoutMillis});
    }

    public static int epoll_create1(int flags) throws LastErrorException {
        return EPOLL_CREATE1.invokeInt(new Object[]{flags});
    }

    /** {@code event}: one struct epoll_event (see {@link jail.namespace.io.EpollSet}), or null for EPOLL_CTL_DEL. */
    public static int epoll_ctl(int epfd, int op, int fd, Pointer event) throws LastErrorException {
        return EPOLL_CTL.invokeInt(new Object[]{epfd, op, fd, event});
    }

    public static int epoll_wait(int epfd, Pointer events, int maxevents, int timeoutMillis) throws LastErrorException {
        return EPOLL_WAIT.invokeInt(new Object[]{epfd, events, maxevents, timeoutMillis});
    }

    // --- terminals ---
    public static int ioctl(int fd, long request, IntByReference arg) throws LastErrorException {
        return IOCTL.invokeInt(new Object[]{fd, request, arg});
    }

    /** An int the call fills in, as a Java array: unlike an {@code IntByReference} it allocates no native memory. */
    public static int ioctl(int fd, long request, int[] arg) throws LastErrorException {
        return IOCTL.invokeInt(new Object[]{fd, request, arg});
    }

    public static int ioctl(int fd, long request, Pointer arg) throws LastErrorException {
        return IOCTL.invokeInt(new Object[]{fd, request, arg});
    }

    public static int ioctl(int fd, long request, long arg) throws LastErrorException {
        return IOCTL.invokeInt(new Object[]{fd, request, arg});
    }

    public static int tcgetattr(int fd, Pointer termios) throws LastErrorException {
        return TCGETATTR.invokeInt(new Object[]{fd, termios});
    }

    public static int tcsetattr(int fd, int action, Pointer termios) throws LastErrorException {
        return TCSETATTR.invokeInt(new Object[]{fd, action, termios});
    }

    public static void cfmakeraw(Pointer termios) {
        CFMAKERAW.invokeVoid(new Object[]{termios});
    }

    public static int isatty(int fd) {
        return ISATTY.invokeInt(new Object[]{fd});
    }

    public static int fchownat(int dirfd, String path, int uid, int gid, int flags) throws LastErrorException {
        return FCHOWNAT.invokeInt(new Object[]{dirfd, path, uid, gid, flags});
    }

    public static int fstatat(int dirfd, String path, Pointer statbuf, int flags) throws LastErrorException {
        return FSTATAT.invokeInt(new Object[]{dirfd, path, statbuf, flags});
    }

    public static int fchdir(int fd) throws LastErrorException {
        return FCHDIR.invokeInt(new Object[]{fd});
    }

    /** umask(2): per thread once the thread has unshared CLONE_FS (it lives in the fs_struct). */
    public static int umask(int mask) {
        return UMASK.invokeInt(new Object[]{mask});
    }

    // --- sockets, splice ---
    public static int socket(int domain, int type, int protocol) throws LastErrorException {
        return SOCKET.invokeInt(new Object[]{domain, type, protocol});
    }

    public static int bind(int fd, Pointer addr, int len) throws LastErrorException {
        return BIND.invokeInt(new Object[]{fd, addr, len});
    }

    public static int listen(int fd, int backlog) throws LastErrorException {
        return LISTEN.invokeInt(new Object[]{fd, backlog});
    }

    public static int accept4(int fd, Pointer addr, Pointer len, int flags) throws LastErrorException {
        return ACCEPT4.invokeInt(new Object[]{fd, addr, len, flags});
    }

    public static int connect(int fd, Pointer addr, int len) throws LastErrorException {
        return CONNECT.invokeInt(new Object[]{fd, addr, len});
    }

    public static int shutdown(int fd, int how) throws LastErrorException {
        return SHUTDOWN.invokeInt(new Object[]{fd, how});
    }

    public static int setsockopt(int fd, int level, int name, IntByReference value, int len) throws LastErrorException {
        return SETSOCKOPT.invokeInt(new Object[]{fd, level, name, value, len});
    }

    public static int getsockopt(int fd, int level, int name, IntByReference value, IntByReference len) throws LastErrorException {
        return GETSOCKOPT.invokeInt(new Object[]{fd, level, name, value, len});
    }

    public static long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags) throws LastErrorException {
        return SPLICE.invokeLong(new Object[]{fdIn, offIn, fdOut, offOut, len, flags});
    }

    // --- posix_spawn (these return an error number instead of setting errno) ---
    public static int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp) {
        return POSIX_SPAWN.invokeInt(new Object[]{pid, path, fileActions, attr, argv, envp});
    }

    public static int posix_spawn_file_actions_init(Pointer actions) {
        return POSIX_SPAWN_FILE_ACTIONS_INIT.invokeInt(new Object[]{actions});
    }

    public static int posix_spawn_file_actions_destroy(Pointer actions) {
        return POSIX_SPAWN_FILE_ACTIONS_DESTROY.invokeInt(new Object[]{actions});
    }

    public static int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd) {
        return POSIX_SPAWN_FILE_ACTIONS_ADDDUP2.invokeInt(new Object[]{actions, fd, newfd});
    }

    public static int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode) {
        return POSIX_SPAWN_FILE_ACTIONS_ADDOPEN.invokeInt(new Object[]{actions, fd, path, flags, mode});
    }

    public static int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from) {
        return POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP.invokeInt(new Object[]{actions, from});
    }

    public static int posix_spawn_file_actions_addchdir_np(Pointer actions, String path) {
        return POSIX_SPAWN_FILE_ACTIONS_ADDCHDIR_NP.invokeInt(new Object[]{actions, path});
    }

    public static int posix_spawnattr_init(Pointer attr) {
        return POSIX_SPAWNATTR_INIT.invokeInt(new Object[]{attr});
    }

    public static int posix_spawnattr_destroy(Pointer attr) {
        return POSIX_SPAWNATTR_DESTROY.invokeInt(new Object[]{attr});
    }

    public static int posix_spawnattr_setflags(Pointer attr, short flags) {
        return POSIX_SPAWNATTR_SETFLAGS.invokeInt(new Object[]{attr, flags});
    }

    public static int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset) {
        return POSIX_SPAWNATTR_SETSIGMASK.invokeInt(new Object[]{attr, sigset});
    }

    public static int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset) {
        return POSIX_SPAWNATTR_SETSIGDEFAULT.invokeInt(new Object[]{attr, sigset});
    }

    public static int sigemptyset(Pointer set) {
        return SIGEMPTYSET.invokeInt(new Object[]{set});
    }

    public static int sigfillset(Pointer set) {
        return SIGFILLSET.invokeInt(new Object[]{set});
    }

    public static int sigaddset(Pointer set, int signal) {
        return SIGADDSET.invokeInt(new Object[]{set, signal});
    }

    public static int signalfd(int fd, Pointer mask, int flags) throws LastErrorException {
        return SIGNALFD.invokeInt(new Object[]{fd, mask, flags});
    }

}

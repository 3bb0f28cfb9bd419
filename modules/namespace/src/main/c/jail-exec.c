/*
 * jail-exec: the last step of every session, between the init's posix_spawn and the user's program.
 *
 * Why a program of its own: the container's init is a multi-threaded JVM. A thread of it that took the
 * user's credentials would be a target the user may kill(2) or prlimit(2) (the kernel judges both against
 * the target thread's credentials), and Java cannot run between fork and exec. So the init spawns this
 * helper as root, in the container's namespaces and root directory, with the session's fds in place, and the
 * helper confines itself and execs the program. It is single-threaded, so every call here affects exactly
 * the process that becomes the session. It is linked statically: it runs with the container's filesystem as
 * its root, whose libraries are the container's business.
 *
 *   jail-exec --uid U --gid G [--groups G1,G2,...] [--no-new-privs] [--rlimit NAME=SOFT:HARD]...
 *             [--seccomp-deny NAME,NAME,...] [--join-cgroup FD]... [--oom-score-adj N] [--chdir DIR]
 *             -- PROGRAM ARGV0 [ARG...]
 *
 * The confinement, in order (it reads top to bottom in confine()):
 *   0. the session's cgroups: its pid written to each cgroup.procs fd the init opened for it (the session's
 *      child of the container's cgroup), before anything else, so nothing it ever runs is born outside;
 *   1. signals: default dispositions, empty mask; fds above 2 closed (the helper's own binary included);
 *   2. oom_score_adj 0 (the init's may be -1000), or N where the init cannot be shielded (rootless: the
 *      OOM killer must pick the session's processes before the init within the container's memory limit);
 *      the audit login uid (as pam_loginuid does for sshd), then
 *      the session's resource limits;
 *   3. drop the dangerous capabilities from the bounding set (needs CAP_SETPCAP: still root);
 *   4. the syscall filter (while root: without no_new_privs only CAP_SYS_ADMIN may install one);
 *   5. setgroups, setresgid, setresuid;
 *   6. capabilities: inheritable and ambient emptied; a non-root user has none left, root keeps its
 *      permitted set minus the dangerous ones;
 *   7. no_new_privs if asked;
 *   8. verify all of it from /proc/self/status; any difference aborts;
 *   9. chdir to the home directory (as the user, as login(1) does), then execve.
 * In a rootless container (jail-userns, docs/architecture.md) two steps are what the kernel allows there:
 * oom_score_adj cannot go below the value the user's own processes have (lowering it needs CAP_SYS_RESOURCE in
 * the host's user namespace), so that value stays if it is not negative; and when the container's user
 * namespace was made without subordinate ids, setgroups(2) is denied for good (the kernel's condition for an
 * unprivileged gid map), so the session keeps the supplementary groups the user had on the host (read inside
 * as the overflow gid) and the group list is not checked.
 * Errors print one line on stderr (the session's terminal or stderr pipe) and exit 126; a program that
 * cannot be found exits 127, as a shell would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_GROUPS 65536
#define MAX_RLIMITS 16
#define MAX_DENY 128
#define MAX_CGROUP_FDS 8

/*
 * Capabilities no session keeps, even a uid-0 one: they reach past the container's walls or into kernel
 * objects the host shares (see docs/security.md, "Privileges of a session").
 */
static const int DANGEROUS_CAPS[] = {
    CAP_DAC_READ_SEARCH,   /* open_by_handle_at(2) opens host files by inode, past any pivot_root */
    CAP_NET_ADMIN,         /* the network stack is the host's */
    CAP_NET_RAW,           /* packet sockets would see and forge the host's traffic */
    CAP_IPC_LOCK,          /* locked memory the host cannot reclaim */
    CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE, CAP_SYS_PACCT, CAP_SYS_ADMIN, CAP_SYS_BOOT,
    CAP_SYS_NICE,          /* real-time scheduling of the host's CPUs */
    CAP_SYS_RESOURCE,      /* the session's limits are the configured ones */
    CAP_SYS_TIME, CAP_MKNOD,
    CAP_AUDIT_WRITE, CAP_AUDIT_CONTROL, CAP_AUDIT_READ, /* the host's audit log */
    CAP_MAC_OVERRIDE, CAP_MAC_ADMIN, CAP_SYSLOG, CAP_WAKE_ALARM, CAP_BLOCK_SUSPEND,
    CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE,
};
#define N_DANGEROUS (sizeof DANGEROUS_CAPS / sizeof DANGEROUS_CAPS[0])

struct rlimit_setting {
    int resource;
    rlim_t soft, hard;
};

struct request {
    uid_t uid;
    gid_t gid;
    gid_t groups[MAX_GROUPS];
    size_t n_groups;
    int no_new_privs;
    struct rlimit_setting rlimits[MAX_RLIMITS];
    size_t n_rlimits;
    const char *deny[MAX_DENY];
    size_t n_deny;
    int filter;
    int cgroup_fds[MAX_CGROUP_FDS];
    size_t n_cgroup_fds;
    const char *oom_score_adj;
    const char *home;
    const char *program;
    char **argv;
};

static _Noreturn void fail(const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    dprintf(2, "jail: cannot start the session: %s\n", line);
    _exit(126);
}

static _Noreturn void fail_errno(const char *call, const char *what) {
    fail("%s(%s): %s", call, what, strerror(errno));
}

/* ---- the request, from argv ---------------------------------------------------------------------- */

static unsigned long parse_number(const char *s, const char *what) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') fail("bad %s: '%s'", what, s);
    return v;
}

static rlim_t parse_limit(const char *s) {
    return strcmp(s, "unlimited") == 0 ? RLIM_INFINITY : (rlim_t) parse_number(s, "resource limit");
}

static int rlimit_resource(const char *name) {
    static const struct { const char *name; int resource; } names[] = {
        {"as", RLIMIT_AS}, {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU}, {"data", RLIMIT_DATA},
        {"fsize", RLIMIT_FSIZE}, {"locks", RLIMIT_LOCKS}, {"memlock", RLIMIT_MEMLOCK},
        {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE}, {"nofile", RLIMIT_NOFILE},
        {"nproc", RLIMIT_NPROC}, {"rss", RLIMIT_RSS}, {"rtprio", RLIMIT_RTPRIO},
        {"rttime", RLIMIT_RTTIME}, {"sigpending", RLIMIT_SIGPENDING}, {"stack", RLIMIT_STACK},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].name, name) == 0) return names[i].resource;
    }
    fail("unknown resource limit '%s'", name);
}

/* "nofile=1024:524288" */
static void parse_rlimit(struct request *r, char *spec) {
    if (r->n_rlimits == MAX_RLIMITS) fail("too many resource limits");
    char *eq = strchr(spec, '='), *colon = eq ? strchr(eq, ':') : NULL;
    if (eq == NULL || colon == NULL) fail("bad resource limit '%s' (NAME=SOFT:HARD)", spec);
    *eq = *colon = '\0';
    struct rlimit_setting *s = &r->rlimits[r->n_rlimits++];
    s->resource = rlimit_resource(spec);
    s->soft = parse_limit(eq + 1);
    s->hard = parse_limit(colon + 1);
}

static void parse_groups(struct request *r, char *list) {
    for (char *g = strtok(list, ","); g != NULL; g = strtok(NULL, ",")) {
        if (r->n_groups == MAX_GROUPS) fail("too many groups");
        r->groups[r->n_groups++] = (gid_t) parse_number(g, "group");
    }
}

static void parse_deny(struct request *r, char *list) {
    r->filter = 1;
    for (char *n = strtok(list, ","); n != NULL; n = strtok(NULL, ",")) {
        if (r->n_deny == MAX_DENY) fail("too many syscalls to deny");
        r->deny[r->n_deny++] = n;
    }
}

static void parse(struct request *r, int argc, char **argv) {
    int have_uid = 0, have_gid = 0, i;
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--no-new-privs") == 0) { r->no_new_privs = 1; continue; }
        if (i + 1 >= argc) fail("option %s needs a value", opt);
        char *value = argv[++i];
        if (strcmp(opt, "--uid") == 0) { r->uid = (uid_t) parse_number(value, "uid"); have_uid = 1; }
        else if (strcmp(opt, "--gid") == 0) { r->gid = (gid_t) parse_number(value, "gid"); have_gid = 1; }
        else if (strcmp(opt, "--groups") == 0) parse_groups(r, value);
        else if (strcmp(opt, "--rlimit") == 0) parse_rlimit(r, value);
        else if (strcmp(opt, "--seccomp-deny") == 0) parse_deny(r, value);
        else if (strcmp(opt, "--join-cgroup") == 0) {
            if (r->n_cgroup_fds == MAX_CGROUP_FDS) fail("too many cgroups to join");
            r->cgroup_fds[r->n_cgroup_fds++] = (int) parse_number(value, "cgroup fd");
        }
        else if (strcmp(opt, "--oom-score-adj") == 0) { parse_number(value, "oom_score_adj"); r->oom_score_adj = value; }
        else if (strcmp(opt, "--chdir") == 0) r->home = value;
        else fail("unknown option %s", opt);
    }
    if (!have_uid || !have_gid) fail("--uid and --gid are required");
    if (i + 2 >= argc) fail("no program and argv[0] after --");
    r->program = argv[i + 1];
    r->argv = &argv[i + 2];
}

/* ---- the steps -------------------------------------------------------------------------------------- */

/*
 * Raw rt_sigaction: glibc's wrappers refuse signals 32 and 33 (its own), and a JVM ignores those; ignored
 * signals survive exec, so they would reach the session's programs.
 */
static void reset_signals(void) {
    struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } dfl = {SIG_DFL, 0, NULL, 0};
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask) != 0) fail_errno("rt_sigaction", "SIG_DFL");
    }
    uint64_t none = 0;
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none) != 0) fail_errno("rt_sigprocmask", "empty");
}

/*
 * The fds are the init's, opened on the host side (the container cannot see /sys/fs/cgroup): writing our pid
 * moves this process, and so everything it will start, into the session's cgroup. The kernel judges the write
 * by the credentials of whoever opened the file, so this works before and regardless of the drop below.
 */
static void join_cgroups(const struct request *r) {
    char pid[24];
    int n = snprintf(pid, sizeof pid, "%d\n", (int) getpid());
    for (size_t i = 0; i < r->n_cgroup_fds; i++) {
        if (write(r->cgroup_fds[i], pid, (size_t) n) != n) fail_errno("write", "the session's cgroup.procs");
    }
}

static void close_inherited_fds(void) {
    if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) fail_errno("close_range", "3..");
}

static int read_proc(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) return -1;
    buf[n] = '\0';
    return 0;
}

/* 0 or --oom-score-adj; or, where 0 may not be had (rootless), the user's own value if that is not negative. */
static void reset_oom_score_adj(const struct request *r) {
    static const char *path = "/proc/self/oom_score_adj";
    const char *value = r->oom_score_adj != NULL ? r->oom_score_adj : "0";
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail_errno("open", path);
    ssize_t len = (ssize_t) strlen(value), n = write(fd, value, (size_t) len);
    int err = errno;
    close(fd);
    if (n == len) return;
    char now[32];
    if (err == EACCES && read_proc(path, now, sizeof now) == 0 && atoi(now) >= 0) return;
    errno = err;
    fail_errno("write", path);
}

/* "deny" in a user namespace made without subordinate ids: setgroups(2) can never succeed there. */
static int setgroups_denied(void) {
    char v[16];
    return read_proc("/proc/self/setgroups", v, sizeof v) == 0 && strncmp(v, "deny", 4) == 0;
}

/*
 * The session's audit login uid is its user, as pam_loginuid sets it for sshd's sessions: the audit log then
 * names the user, and last(1) takes a login whose process has another login uid for a phantom ("gone - no
 * logout"). Best effort, as for pam_loginuid on a kernel without audit (no such file) or with the init's
 * login uid made immutable (EPERM).
 */
static void set_login_uid(const struct request *r) {
    int fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    char value[24];
    int n = snprintf(value, sizeof value, "%lu", (unsigned long) r->uid);
    if (write(fd, value, (size_t) n) != n) { /* keeps the inherited one */ }
    close(fd);
}

/* Limits only ever come down here: raising a hard limit would need CAP_SYS_RESOURCE. */
static void set_rlimits(const struct request *r) {
    for (size_t i = 0; i < r->n_rlimits; i++) {
        const struct rlimit_setting *s = &r->rlimits[i];
        struct rlimit now, want;
        if (getrlimit(s->resource, &now) != 0) fail_errno("getrlimit", "session limits");
        want.rlim_max = s->hard < now.rlim_max ? s->hard : now.rlim_max;
        want.rlim_cur = s->soft < want.rlim_max ? s->soft : want.rlim_max;
        if (setrlimit(s->resource, &want) != 0) fail_errno("setrlimit", "session limits");
    }
}

static void drop_bounding_set(void) {
    for (size_t i = 0; i < N_DANGEROUS; i++) {
        if (prctl(PR_CAPBSET_DROP, DANGEROUS_CAPS[i], 0, 0, 0) != 0 && errno != EINVAL) {
            fail_errno("prctl", "PR_CAPBSET_DROP"); /* EINVAL: this kernel does not know that capability */
        }
    }
}

/*
 * The syscall filter: everything is allowed but the names given, which fail with EPERM. Two names stand for
 * argument-dependent rules:
 *   "@new-user-namespaces": clone and unshare with CLONE_NEWUSER; clone3 reports ENOSYS (its flags live in
 *                           memory a filter cannot read), which makes glibc fall back to clone;
 *   "@signals-to-the-init": kill, tkill, tgkill, rt_(tg)sigqueueinfo and pidfd_send_signal of SIGSEGV, SIGBUS,
 *                           SIGFPE and SIGILL (the JVM that is PID 1 handles those, so the kernel would
 *                           deliver them from inside, and it dies of them), and prlimit64 on another process.
 */
static void add_rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned count,
                     const struct scmp_arg_cmp *args) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) fail("seccomp: unknown system call '%s'", name);
    int rc = seccomp_rule_add_array(ctx, action, nr, count, args);
    if (rc != 0) fail("seccomp: rule for %s: %s", name, strerror(-rc));
}

static void deny_new_user_namespaces(scmp_filter_ctx ctx) {
    struct scmp_arg_cmp newuser = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER);
    add_rule(ctx, SCMP_ACT_ERRNO(EPERM), "unshare", 1, &newuser);
    add_rule(ctx, SCMP_ACT_ERRNO(EPERM), "clone", 1, &newuser);
    add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
}

static void deny_signals_to_the_init(scmp_filter_ctx ctx) {
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    static const struct { const char *name; unsigned arg; } senders[] = {
        {"kill", 1}, {"tkill", 1}, {"tgkill", 2}, {"rt_sigqueueinfo", 1}, {"rt_tgsigqueueinfo", 2},
        {"pidfd_send_signal", 1},
    };
    for (size_t s = 0; s < sizeof senders / sizeof senders[0]; s++) {
        for (size_t f = 0; f < sizeof fatal / sizeof fatal[0]; f++) {
            struct scmp_arg_cmp sig = {senders[s].arg, SCMP_CMP_EQ, (scmp_datum_t) fatal[f], 0};
            add_rule(ctx, SCMP_ACT_ERRNO(EPERM), senders[s].name, 1, &sig);
        }
    }
    struct scmp_arg_cmp other = SCMP_A0(SCMP_CMP_NE, 0);
    add_rule(ctx, SCMP_ACT_ERRNO(EPERM), "prlimit64", 1, &other);
}

static void load_filter(const struct request *r) {
    if (!r->filter) return;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) fail("seccomp: cannot make a filter");
    /* 32-bit programs inside get the same rules, rather than being killed for using another ABI. */
    seccomp_arch_add(ctx, SCMP_ARCH_X86);
    seccomp_arch_add(ctx, SCMP_ARCH_X32);
    /* no_new_privs is ours to set (step 7): a container that allows setuid programs must not get it here. */
    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    for (size_t i = 0; i < r->n_deny; i++) {
        if (strcmp(r->deny[i], "@new-user-namespaces") == 0) deny_new_user_namespaces(ctx);
        else if (strcmp(r->deny[i], "@signals-to-the-init") == 0) deny_signals_to_the_init(ctx);
        else add_rule(ctx, SCMP_ACT_ERRNO(EPERM), r->deny[i], 0, NULL);
    }
    int rc = seccomp_load(ctx);
    if (rc != 0) fail("seccomp: cannot load the filter: %s", strerror(-rc));
    seccomp_release(ctx);
}

static void switch_user(const struct request *r) {
    if (!setgroups_denied() && setgroups(r->n_groups, r->groups) != 0) fail_errno("setgroups", "session groups");
    if (setresgid(r->gid, r->gid, r->gid) != 0) fail_errno("setresgid", "session gid");
    if (setresuid(r->uid, r->uid, r->uid) != 0) fail_errno("setresuid", "session uid");
}

static uint64_t dangerous_mask(void) {
    uint64_t m = 0;
    for (size_t i = 0; i < N_DANGEROUS; i++) m |= 1ULL << DANGEROUS_CAPS[i];
    return m;
}

static void set_capabilities(const struct request *r) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) fail_errno("capget", "self");
    uint64_t permitted = ((uint64_t) data[1].permitted << 32 | data[0].permitted) & ~dangerous_mask();
    if (r->uid != 0) permitted = 0; /* setresuid cleared them already; this states it */
    for (int i = 0; i < 2; i++) {
        data[i].permitted = data[i].effective = (uint32_t) (permitted >> (32 * i));
        data[i].inheritable = 0;
    }
    if (syscall(SYS_capset, &header, data) != 0) fail_errno("capset", "session capabilities");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) fail_errno("prctl", "PR_CAP_AMBIENT_CLEAR_ALL");
}

static void set_no_new_privs(const struct request *r) {
    if (r->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail_errno("prctl", "PR_SET_NO_NEW_PRIVS");
}

/* ---- verification, from the kernel's own view ----------------------------------------------------- */

static const char *field(const char *status, const char *name) {
    size_t len = strlen(name);
    for (const char *line = status; *line != '\0';) {
        if (strncmp(line, name, len) == 0 && line[len] == ':') return line + len + 1;
        const char *next = strchr(line, '\n');
        if (next == NULL) break;
        line = next + 1;
    }
    fail("verify: no %s in /proc/self/status", name);
}

static uint64_t hex_field(const char *status, const char *name) {
    return strtoull(field(status, name), NULL, 16);
}

static void expect_ids(const char *status, const char *name, unsigned long id) {
    unsigned long a, b, c, d;
    if (sscanf(field(status, name), "%lu %lu %lu %lu", &a, &b, &c, &d) != 4 || a != id || b != id || c != id || d != id) {
        fail("verify: %s is not %lu everywhere", name, id);
    }
}

static int has_group(const struct request *r, unsigned long g) {
    for (size_t i = 0; i < r->n_groups; i++) if (r->groups[i] == g) return 1;
    return 0;
}

static void expect_groups(const char *status, const struct request *r) {
    const char *p = field(status, "Groups");
    size_t count = 0;
    char *end;
    for (;;) {
        unsigned long g = strtoul(p, &end, 10);
        if (end == p) break;
        if (!has_group(r, g)) fail("verify: unexpected group %lu", g);
        count++;
        p = end;
    }
    if (count != r->n_groups) fail("verify: %zu groups instead of %zu", count, r->n_groups);
}

static void verify(const struct request *r) {
    static char status[16384];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail_errno("open", "/proc/self/status");
    ssize_t n = read(fd, status, sizeof status - 1);
    close(fd);
    if (n <= 0) fail_errno("read", "/proc/self/status");
    status[n] = '\0';

    expect_ids(status, "Uid", r->uid);
    expect_ids(status, "Gid", r->gid);
    if (!setgroups_denied()) expect_groups(status, r);
    uint64_t dangerous = dangerous_mask();
    if (hex_field(status, "CapInh") != 0) fail("verify: inheritable capabilities left");
    if (hex_field(status, "CapAmb") != 0) fail("verify: ambient capabilities left");
    if (hex_field(status, "CapBnd") & dangerous) fail("verify: a dangerous capability is still in the bounding set");
    if (hex_field(status, "CapPrm") & dangerous) fail("verify: a dangerous capability is still permitted");
    if (r->uid != 0 && (hex_field(status, "CapPrm") | hex_field(status, "CapEff")) != 0) {
        fail("verify: capabilities left after switching to uid %lu", (unsigned long) r->uid);
    }
    if (r->no_new_privs && strtol(field(status, "NoNewPrivs"), NULL, 10) != 1) fail("verify: no_new_privs is off");
    if (r->filter && strtol(field(status, "Seccomp"), NULL, 10) != 2) fail("verify: no syscall filter");
    if (hex_field(status, "SigBlk") != 0 || hex_field(status, "SigIgn") != 0) {
        fail("verify: signals blocked (%llx) or ignored (%llx)", (unsigned long long) hex_field(status, "SigBlk"),
             (unsigned long long) hex_field(status, "SigIgn"));
    }
}

/* ---- the session ------------------------------------------------------------------------------------ */

static void confine(const struct request *r) {
    join_cgroups(r);
    reset_signals();
    close_inherited_fds();
    reset_oom_score_adj(r);
    set_login_uid(r);
    set_rlimits(r);
    drop_bounding_set();
    load_filter(r);
    switch_user(r);
    set_capabilities(r);
    set_no_new_privs(r);
    verify(r);
}

int main(int argc, char **argv) {
    static struct request r;
    parse(&r, argc, argv);
    confine(&r);
    if (r.home != NULL && chdir(r.home) != 0 && chdir("/") != 0) fail_errno("chdir", "/");
    execv(r.program, r.argv);
    int err = errno;
    dprintf(2, "jail: %s: %s\n", r.program, strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

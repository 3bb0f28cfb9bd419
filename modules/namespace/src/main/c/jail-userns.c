/*
 * jail-userns: the first process of a rootless container. jaild, run by an ordinary user, spawns it with the
 * init's fds in place; it creates the container's namespaces and execs the init JVM as PID 1 of them.
 *
 * Why a program of its own: a user without privileges gets the other namespaces only inside a user namespace of
 * its own, and unshare(CLONE_NEWUSER) fails with EINVAL in a multi-threaded process such as jaild's JVM. The id
 * maps of a new user namespace must be written from outside it (newuidmap needs the target's pid), so this
 * helper forks: the child is created in the new namespaces and waits; the parent writes the maps, reports the
 * child's pid, lets it go and exits. Static, like jail-exec, so it depends on nothing but the kernel.
 *
 *   jail-userns --report-fd N --uid-map IN:OUT:COUNT[,...] --gid-map IN:OUT:COUNT[,...] [--newidmap]
 *               -- PROGRAM ARGV0 [ARG...]
 *
 * The parent writes "PID n" (the child's pid in jaild's PID namespace) or "ERROR message" on the report fd.
 * Maps: without --newidmap the maps are written to /proc/PID/{uid,gid}_map directly, which the kernel allows an
 * unprivileged user for one line mapping its own uid and gid, after "deny" is written to /proc/PID/setgroups;
 * with --newidmap they are handed to the setuid newuidmap/newgidmap (Debian's uidmap), which check them against
 * /etc/subuid and /etc/subgid, and setgroups stays allowed.
 * The child: new user, PID, mount, UTS and IPC namespaces (the network stays the host's); once mapped it holds
 * every capability in its user namespace, and raises them into the inheritable and ambient sets, since a
 * non-zero uid loses its capabilities at execve otherwise; then it closes the report fd and execs PROGRAM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAMESPACES (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC)
#define MAX_MAP 1024

struct request {
    int report_fd;
    char uid_map[MAX_MAP];
    char gid_map[MAX_MAP];
    int newidmap;
    const char *program;
    char **argv;
};

static int report_fd = -1;

/* One line for jaild (on the report fd, which it shows the user) and the same in the container's log. */
static _Noreturn void fail(const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(line, sizeof line, fmt, ap) < 0) line[0] = '\0';
    va_end(ap);
    if (report_fd >= 0) dprintf(report_fd, "ERROR %s\n", line);
    dprintf(2, "jail-userns: %s\n", line);
    _exit(1);
}

static _Noreturn void fail_errno(const char *call, const char *what) {
    fail("%s(%s): %s", call, what, strerror(errno));
}

/* "0:1000:1,1:100000:999" -> "0 1000 1\n1 100000 999\n" (the kernel's format); only digits, ':' and ','. */
static void parse_map(char *out, const char *spec, const char *what) {
    size_t n = 0;
    for (const char *p = spec; *p != '\0'; p++) {
        char c = *p == ':' ? ' ' : *p == ',' ? '\n' : *p;
        if (c != ' ' && c != '\n' && (c < '0' || c > '9')) fail("bad %s '%s'", what, spec);
        if (n + 2 >= MAX_MAP) fail("%s too long", what);
        out[n++] = c;
    }
    if (n == 0) fail("empty %s", what);
    out[n++] = '\n';
    out[n] = '\0';
}

static void parse(struct request *r, int argc, char **argv) {
    int i;
    r->report_fd = -1;
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--newidmap") == 0) { r->newidmap = 1; continue; }
        if (i + 1 >= argc) fail("option %s needs a value", opt);
        const char *value = argv[++i];
        if (strcmp(opt, "--report-fd") == 0) r->report_fd = report_fd = atoi(value);
        else if (strcmp(opt, "--uid-map") == 0) parse_map(r->uid_map, value, "uid map");
        else if (strcmp(opt, "--gid-map") == 0) parse_map(r->gid_map, value, "gid map");
        else fail("unknown option %s", opt);
    }
    if (r->report_fd < 0 || r->uid_map[0] == '\0' || r->gid_map[0] == '\0') fail("--report-fd, --uid-map and --gid-map are required");
    if (i + 2 >= argc) fail("no program and argv[0] after --");
    r->program = argv[i + 1];
    r->argv = &argv[i + 2];
}

/* ---- the parent: maps ------------------------------------------------------------------------------ */

static void write_file(pid_t pid, const char *name, const char *value) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int) pid, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail_errno("open", path);
    if (write(fd, value, strlen(value)) != (ssize_t) strlen(value)) fail_errno("write", path);
    close(fd);
}

/* newuidmap PID IN OUT COUNT [IN OUT COUNT...]: the kernel's lines as words. */
static void run_newidmap(const char *tool, pid_t pid, const char *map) {
    char words[MAX_MAP], pidtext[16];
    char *argv[MAX_MAP / 2 + 3];
    size_t n = 0;
    snprintf(pidtext, sizeof pidtext, "%d", (int) pid);
    snprintf(words, sizeof words, "%s", map);
    argv[n++] = (char *) tool;
    argv[n++] = pidtext;
    for (char *w = strtok(words, " \n"); w != NULL; w = strtok(NULL, " \n")) argv[n++] = w;
    argv[n] = NULL;
    pid_t child = fork();
    if (child < 0) fail_errno("fork", tool);
    if (child == 0) {
        dup2(2, 1); /* its messages go to the container's log, not into the report */
        execvp(tool, argv);
        dprintf(2, "jail-userns: %s: %s\n", tool, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(child, &status, 0) < 0) if (errno != EINTR) fail_errno("waitpid", tool);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fail("%s refused the map (check /etc/subuid and /etc/subgid; its message is in the container's log)", tool);
    }
}

static void write_maps(const struct request *r, pid_t child) {
    if (r->newidmap) {
        run_newidmap("newuidmap", child, r->uid_map);
        run_newidmap("newgidmap", child, r->gid_map);
    } else {
        write_file(child, "setgroups", "deny"); /* the kernel's condition for an unprivileged gid_map */
        write_file(child, "uid_map", r->uid_map);
        write_file(child, "gid_map", r->gid_map);
    }
}

/* ---- the child: capabilities, exec ---------------------------------------------------------------- */

static int last_cap(void) {
    char buf[16] = {0};
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, buf, sizeof buf - 1) <= 0) return CAP_LAST_CAP;
    close(fd);
    return atoi(buf);
}

static void keep_capabilities_across_exec(void) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) fail_errno("capget", "self");
    for (int i = 0; i < 2; i++) data[i].inheritable = data[i].permitted;
    if (syscall(SYS_capset, &header, data) != 0) fail_errno("capset", "inheritable");
    int last = last_cap();
    for (int cap = 0; cap <= last; cap++) {
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) fail_errno("prctl", "PR_CAP_AMBIENT_RAISE");
    }
}

static _Noreturn void child(const struct request *r, int go) {
    char byte;
    ssize_t n;
    while ((n = read(go, &byte, 1)) < 0 && errno == EINTR) {}
    if (n != 1) _exit(1); /* the parent failed and said so */
    close(go);
    keep_capabilities_across_exec();
    close(r->report_fd);
    execv(r->program, r->argv);
    dprintf(2, "jail-userns: %s: %s\n", r->program, strerror(errno));
    _exit(127);
}

int main(int argc, char **argv) {
    static struct request r;
    parse(&r, argc, argv);
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0) fail_errno("pipe2", "go");
    /* Like fork(), into new namespaces: the child is PID 1 of the new PID namespace. */
    pid_t pid = (pid_t) syscall(SYS_clone, NAMESPACES | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid < 0) fail_errno("clone", "user, PID, mount, UTS and IPC namespaces");
    if (pid == 0) {
        report_fd = -1; /* only the parent reports */
        close(go[1]);
        child(&r, go[0]);
    }
    close(go[0]);
    write_maps(&r, pid);
    if (dprintf(r.report_fd, "PID %d\n", (int) pid) < 0) { kill(pid, SIGKILL); fail_errno("write", "report"); }
    if (write(go[1], "g", 1) != 1) { kill(pid, SIGKILL); fail_errno("write", "go"); }
    return 0;
}

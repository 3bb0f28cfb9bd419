/*
 * Tries, inside a session, the system calls a syscall filter is about and prints what the kernel answered,
 * one "name=RESULT" per line: OK, or the errno's name. Each call is harmless when allowed (a key in the
 * process's own keyring, a user namespace in a child that exits, an io_uring that is closed...).
 * Built statically by the test (gcc -static) and copied into the root filesystem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *name, long rc) {
    if (rc >= 0) printf("%s=OK\n", name);
    else printf("%s=%s\n", name, errno == EPERM ? "EPERM" : errno == ENOSYS ? "ENOSYS" : errno == EACCES ? "EACCES"
                : errno == EINVAL ? "EINVAL" : strerror(errno));
}

int main(void) {
    report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1));
    report("add_key", syscall(SYS_add_key, "user", "jail-probe", "x", 1, KEY_SPEC_PROCESS_KEYRING));

    struct perf_event_attr attr = {.type = PERF_TYPE_SOFTWARE, .size = sizeof attr, .config = PERF_COUNT_SW_CPU_CLOCK,
                                   .exclude_kernel = 1, .exclude_hv = 1};
    report("perf_event_open", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));

    struct io_uring_params params = {0};
    report("io_uring_setup", syscall(SYS_io_uring_setup, 1, &params));

    report("userfaultfd", syscall(SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */));

    pid_t child = fork();
    if (child == 0) _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : errno);
    int status;
    waitpid(child, &status, 0);
    errno = WEXITSTATUS(status);
    report("unshare-user", WEXITSTATUS(status) == 0 ? 0 : -1);

    struct clone_args args = {.exit_signal = SIGCHLD};
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid(pid, NULL, 0);
    report("clone3", pid);

    child = fork();
    if (child == 0) { pause(); _exit(0); }
    report("kill-segv", kill(child, SIGSEGV));
    struct rlimit r = {64, 64};
    report("prlimit-other", prlimit(child, RLIMIT_NOFILE, &r, NULL));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    report("prlimit-self", prlimit(0, RLIMIT_NOFILE, NULL, &r));
    return 0;
}

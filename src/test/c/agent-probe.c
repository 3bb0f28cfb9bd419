/*
 * agent-probe [--as UID] [PATH]: asks the ssh agent at PATH (default $SSH_AUTH_SOCK) for its identities
 * (SSH_AGENTC_REQUEST_IDENTITIES) and prints one line per key, "key COMMENT", then "keys N". With --as, it
 * first becomes UID (it must be root) to try the socket as another user. agent-probe --flood [PATH] writes
 * to the agent without end (until an error): a program that floods an agent that does not read.
 * A failure is one line "agent-probe: CALL: ERROR" on stderr and exit 2. Static, so it runs in any root
 * filesystem.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(const char *what) {
    fprintf(stderr, "agent-probe: %s: %s\n", what, strerror(errno));
    return 2;
}

static int readn(int fd, unsigned char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) return -1;
        got += (size_t) r;
    }
    return 0;
}

static uint32_t be32(const unsigned char *p) {
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

int main(int argc, char **argv) {
    int i = 1, flood = 0;
    if (argc > 1 && strcmp(argv[1], "--flood") == 0) {
        flood = 1;
        i = 2;
    }
    if (argc > 2 && strcmp(argv[1], "--as") == 0) {
        uid_t uid = (uid_t) atoi(argv[2]);
        if (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0) return fail("setuid");
        i = 3;
    }
    const char *path = i < argc ? argv[i] : getenv("SSH_AUTH_SOCK");
    if (path == NULL || !*path) {
        fprintf(stderr, "agent-probe: no SSH_AUTH_SOCK\n");
        return 2;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return fail("socket");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) return fail("connect");
    if (flood) {
        static unsigned char junk[4096];
        for (;;) {
            if (write(fd, junk, sizeof junk) < 0) return fail("write");
        }
    }
    unsigned char req[5] = {0, 0, 0, 1, 11};
    if (write(fd, req, 5) != 5) return fail("write");
    unsigned char head[4];
    if (readn(fd, head, 4) != 0) return fail("read");
    uint32_t len = be32(head);
    if (len < 5 || len > 256 * 1024) {
        fprintf(stderr, "agent-probe: bad answer length %u\n", len);
        return 2;
    }
    unsigned char *msg = malloc(len);
    if (msg == NULL || readn(fd, msg, len) != 0) return fail("read");
    if (msg[0] != 12) {
        fprintf(stderr, "agent-probe: answer type %u\n", msg[0]);
        return 2;
    }
    uint32_t keys = be32(msg + 1), off = 5;
    for (uint32_t k = 0; k < keys; k++) {
        if (off + 4 > len) break;
        off += 4 + be32(msg + off); /* the key blob */
        if (off + 4 > len) break;
        uint32_t clen = be32(msg + off);
        if (off + 4 + clen > len) break;
        printf("key %.*s\n", (int) clen, msg + off + 4);
        off += 4 + clen;
    }
    printf("keys %u\n", keys);
    return 0;
}

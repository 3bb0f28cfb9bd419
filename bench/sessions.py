#!/usr/bin/python3
"""Holds N idle pipes sessions open in one container from one process (bench/run's session scale).

    sessions.py SOCKET N COMMAND

Speaks docs/protocol.md directly: one HELLO (PIPES mode, no LOGIN, COMMAND) per connection, then waits for
each WELCOME. 500 `jail` client JVMs would cost ~15 GiB of the host's memory; this costs a few MiB, so what
is measured is the init's cost per session, not the clients'. Prints "ready N" once every session has its
WELCOME, then holds them until SIGTERM or until its parent (bench/run) is gone; closing the sockets hangs the
sessions up. A session that sends EXIT or ERROR meanwhile is reported on stderr and makes it exit 1.
"""
import os
import select
import signal
import socket
import struct
import sys
import time

HELLO, WELCOME, EXIT, ERROR = 0x01, 0x02, 0x09, 0x0A
BATCH = 25          # connections opened before their WELCOMEs are awaited (the init spawns one at a time)
WELCOME_WAIT = 60   # seconds a batch may take, on a machine that may be busy


def frame(kind, payload):
    return bytes([kind]) + struct.pack('>I', len(payload)) + payload


def string(b):
    return struct.pack('>i', len(b)) + b


def hello(command):
    return frame(HELLO, b'JAIL' + struct.pack('>HBBHH', 1, 1, 0, 0, 0) + b'\x01' + string(command)
                 + string(b'') + struct.pack('>H', 0))


def read_frame_header(s, deadline):
    got = b''
    while len(got) < 5:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:   # fds stay below FD_SETSIZE here
            raise TimeoutError('no answer from the init')
        b = s.recv(5 - len(got))
        if not b:
            raise ConnectionError('the init closed the connection')
        got += b
    return got[0], struct.unpack('>I', got[1:])[0]


def open_batch(path, n, payload):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.sendall(payload)
        socks.append(s)
    deadline = time.monotonic() + WELCOME_WAIT
    for s in socks:
        kind, length = read_frame_header(s, deadline)
        body = s.recv(length) if length else b''
        if kind != WELCOME:
            raise ConnectionError('expected WELCOME, got frame 0x%02x %r' % (kind, body[1:].decode(errors='replace')))
    return socks


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path, n, command = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    payload = hello(command)
    socks = []
    try:
        while len(socks) < n:
            socks += open_batch(path, min(BATCH, n - len(socks)), payload)
    except (OSError, TimeoutError, ConnectionError) as e:
        print('sessions.py: session %d of %d: %s' % (len(socks) + 1, n, e), file=sys.stderr)
        return 1
    print('ready %d' % len(socks), flush=True)
    # Idle sessions send nothing: anything readable is an end (EXIT, ERROR or EOF).
    poll = select.poll()
    by_fd = {s.fileno(): s for s in socks}
    for fd in by_fd:
        poll.register(fd, select.POLLIN)
    parent = os.getppid()
    while os.getppid() == parent:
        for fd, _ in poll.poll(1000):
            print('sessions.py: a session ended while held open (%r)' % by_fd[fd].recv(64), file=sys.stderr)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())

package jail.session.init;

import jail.namespace.unix.FreshDirectory;
import jail.namespace.unix.UnixListener;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A session's forwarded ssh agent as the container sees it: a listening socket
 * {@code /tmp/ssh-XXXXXXXXXX/agent.N}, as sshd makes it. The init (root inside) makes the directory without
 * following links ({@link FreshDirectory}), binds the socket mode 0600 in it while it is still ours (mode
 * 0700), then gives both to the session's user: only that uid (and root inside) can reach it. Made on a
 * spawner thread, inside the container's mount namespace; removed through the directory's fd when the
 * session ends.
 */
final class AgentSocket {
    private static final Logger LOG = Logger.getLogger(AgentSocket.class.getName());
    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private final FreshDirectory directory;
    private final UnixListener listener;
    private final String name;

    private AgentSocket(FreshDirectory directory, UnixListener listener, String name) {
        this.directory = directory;
        this.listener = listener;
        this.name = name;
    }

    /**
     * Makes the socket for a session of {@code uid}:{@code gid} (spawner thread, inside the container), or
     * returns null and logs why: a session without its agent is better than no session (a full /tmp, say).
     */
    static AgentSocket open(int uid, int gid) {
        return open("/tmp", uid, gid);
    }

    /** The same in another directory than /tmp (tests). */
    static AgentSocket open(String parent, int uid, int gid) {
        FreshDirectory dir;
        try {
            dir = FreshDirectory.create(parent, "ssh-");
        } catch (RuntimeException e) {
            LOG.warning("no agent forwarding for this session: " + e.getMessage());
            return null;
        }
        String name = "agent." + NEXT.getAndIncrement();
        try {
            UnixListener listener = UnixListener.bindIn(dir.fd(), name, 0600, 16, "/");
            dir.chownEntry(name, uid, gid);
            dir.chown(uid, gid);
            return new AgentSocket(dir, listener, name);
        } catch (RuntimeException e) {
            dir.remove(name);
            LOG.warning("no agent forwarding for this session: " + e.getMessage());
            return null;
        }
    }

    /** SSH_AUTH_SOCK inside the container. */
    String path() {
        return directory.path() + "/" + name;
    }

    UnixListener listener() {
        return listener;
    }

    /** Stops listening and removes the socket and its directory (relay loop thread; never throws). */
    void close() {
        listener.close();
        directory.remove(name);
    }
}

package jail.session.init;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections that are not (yet) sessions, per uid: anyone can connect to the socket, so without
 * caps a flood of idle connections would exhaust the init's fds and heap. Only the container's uid and root
 * are ever admitted, each within its own cap, so no other uid can use up theirs. Refused uids get a bounded
 * number of polite refusals (an ERROR frame and a moment to read it) shared among them; beyond that their
 * connections are closed at once, which costs the init nothing. Sessions themselves are capped separately
 * (max-sessions).
 */
final class ConnectionAdmission {
    private final int maxPerUid;
    private final int maxRefusing;
    private final AtomicInteger refusing = new AtomicInteger();
    private final ConcurrentHashMap<Integer, AtomicInteger> perUid = new ConcurrentHashMap<>();

    ConnectionAdmission(int maxPerUid, int maxRefusing) {
        this.maxPerUid = maxPerUid;
        this.maxRefusing = maxRefusing;
    }

    /** Admits one connection of an allowed {@code uid}; returns the (idempotent) release, or null when over its cap. */
    Runnable admit(int uid) {
        return take(perUid.computeIfAbsent(uid, u -> new AtomicInteger()), maxPerUid);
    }

    /** A polite refusal; returns its (idempotent) release, or null when there are enough of them going on. */
    Runnable refuse() {
        return take(refusing, maxRefusing);
    }

    private static Runnable take(AtomicInteger count, int max) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) count.decrementAndGet();
        };
    }
}

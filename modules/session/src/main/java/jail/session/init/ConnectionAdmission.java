package jail.session.init;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections that are not (yet) sessions: waiting for HELLO, spawning, or being refused. Anyone can
 * connect to the socket, so without a cap a flood of idle connections would exhaust the init's fds and heap.
 * Sessions themselves are capped separately (max-sessions).
 */
final class ConnectionAdmission {
    private final int maxTotal;
    private final int maxPerUid;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Integer, AtomicInteger> perUid = new ConcurrentHashMap<>();

    ConnectionAdmission(int maxTotal, int maxPerUid) {
        this.maxTotal = maxTotal;
        this.maxPerUid = maxPerUid;
    }

    /** Admits one connection of {@code uid}; returns the (idempotent) release, or null when over a cap. */
    Runnable admit(int uid) {
        AtomicInteger mine = perUid.computeIfAbsent(uid, u -> new AtomicInteger());
        if (total.incrementAndGet() > maxTotal | mine.incrementAndGet() > maxPerUid) {
            total.decrementAndGet();
            mine.decrementAndGet();
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                total.decrementAndGet();
                mine.decrementAndGet();
            }
        };
    }
}

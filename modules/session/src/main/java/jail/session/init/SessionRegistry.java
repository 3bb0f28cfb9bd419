package jail.session.init;

import jail.session.text.ControlEscape;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container's live sessions by id (1, 2, 3... in start order), and who may see them: a session belongs to
 * the peer uid that started it (from SO_PEERCRED); that uid and an admin (root; the owner of a rootless
 * container) may list, attach and kill it. Anyone else is told the session does not exist, so ids reveal
 * nothing.
 */
final class SessionRegistry {
    /** One session: its id, the peer uid that started it, its audit record and its relay. */
    record Entry(int id, int owner, SessionRecord record, SessionRelay relay) {
        boolean detached() {
            return relay.detachedSince() != null;
        }

        /**
         * One line of a LIST answer: id, tty, start, idle seconds, attached or detached, command (escaped,
         * "-" for a login shell), separated by tabs (docs/protocol.md).
         */
        String listLine() {
            return "session=" + id + "\t" + (record.tty() == null ? "-" : record.tty()) + "\t" + record.started()
                    + "\t" + relay.idle().toSeconds() + "\t" + (detached() ? "detached" : "attached") + "\t"
                    + (record.command() == null ? "-" : ControlEscape.escape(record.command()));
        }
    }

    private final AtomicInteger lastId = new AtomicInteger();
    private final Map<Integer, Entry> byId = new ConcurrentHashMap<>();

    int newId() {
        return lastId.incrementAndGet();
    }

    void add(Entry e) {
        byId.put(e.id(), e);
    }

    void remove(int id) {
        byId.remove(id);
    }

    /** The session {@code id} if the peer may act on it; empty if it does not exist or is not the peer's. */
    Optional<Entry> find(int id, int peerUid, boolean admin) {
        Entry e = byId.get(id);
        return e != null && (admin || e.owner() == peerUid) ? Optional.of(e) : Optional.empty();
    }

    /** The peer's sessions (every session for an admin), by id. */
    List<Entry> visibleTo(int peerUid, boolean admin) {
        return byId.values().stream().filter(e -> admin || e.owner() == peerUid)
                .sorted(Comparator.comparingInt(Entry::id)).toList();
    }

    /** The peer's most recently detached session. */
    Optional<Entry> latestDetached(int peerUid, boolean admin) {
        return visibleTo(peerUid, admin).stream().filter(Entry::detached)
                .max(Comparator.comparing((Entry e) -> e.relay().detachedSince()).thenComparingInt(Entry::id));
    }

    /** Whether the session of shell {@code pid} has no client now (for the status). */
    boolean detachedByPid(int pid) {
        return byId.values().stream().anyMatch(e -> e.record().pid() == pid && e.detached());
    }

    /** The LIST answer: the reattach policy, the latest detached id (0: none), then one line per session. */
    String listing(int peerUid, boolean admin, DetachPolicy policy) {
        StringBuilder b = new StringBuilder("reattach=" + policy.reattach().word() + "\nlatest="
                + latestDetached(peerUid, admin).map(Entry::id).orElse(0) + "\n");
        for (Entry e : visibleTo(peerUid, admin)) b.append(e.listLine()).append('\n');
        return b.toString();
    }

}

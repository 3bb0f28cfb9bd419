package jail.session.init;

import java.time.Instant;

/**
 * A terminal session while no client is attached: since when, the timer that hangs it up at the end of its
 * grace, and the ring that keeps its recent output for the next client. Owned by the relay loop thread.
 */
final class DetachedState {
    private final OutputRing ring;
    private final Instant since;
    private volatile long graceTimer = -1;

    DetachedState(OutputRing ring, Instant since) {
        this.ring = ring;
        this.since = since;
    }

    OutputRing ring() {
        return ring;
    }

    Instant since() {
        return since;
    }

    long graceTimer() {
        return graceTimer;
    }

    void graceTimer(long id) {
        graceTimer = id;
    }
}

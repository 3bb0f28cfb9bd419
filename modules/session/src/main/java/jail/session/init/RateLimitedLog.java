package jail.session.init;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/** A warning that may repeat thousands of times a second (a flood): at most one line a second, with a count. */
final class RateLimitedLog {
    private final Logger log;
    private final AtomicLong lastMillis = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log) {
        this.log = log;
    }

    void log(String message) {
        long now = System.currentTimeMillis();
        long last = lastMillis.get();
        if (now - last >= 1000 && lastMillis.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            log.warning(message + (more > 0 ? " (and " + more + " similar in the last second)" : ""));
        } else {
            suppressed.incrementAndGet();
        }
    }
}

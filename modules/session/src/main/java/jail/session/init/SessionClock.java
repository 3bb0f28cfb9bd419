package jail.session.init;

import java.time.Duration;

/**
 * One session's time limits as a small state machine: when to warn, when to end, and when to look again.
 * Times are {@link System#nanoTime()} values; the relay reports activity (input delivered to the session, or
 * output read from it) and asks {@link #check} when the timer it set fires. Pure logic, so it is tested
 * without clocks.
 */
final class SessionClock {
    /** What to do now: nothing, warn the user (once per coming end), or end the session; and when to ask again. */
    record Verdict(String warning, String end, long nextCheckNanos) {}

    private final SessionTimeLimits limits;
    private final long started;
    private long lastActivity;
    /** The end the last warning announced (its deadline), so it is given once. */
    private long warnedFor = Long.MIN_VALUE;

    SessionClock(SessionTimeLimits limits, long now) {
        this.limits = limits;
        this.started = now;
        this.lastActivity = now;
    }

    void activity(long now) {
        lastActivity = now;
    }

    Verdict check(long now) {
        long idleLimit = limits.idle().toNanos(), maxLimit = limits.maxDuration().toNanos();
        long idleEnd = idleLimit > 0 ? lastActivity + idleLimit : Long.MAX_VALUE;
        long maxEnd = maxLimit > 0 ? started + maxLimit : Long.MAX_VALUE;
        boolean idleFirst = idleEnd <= maxEnd;
        long end = Math.min(idleEnd, maxEnd);
        if (end == Long.MAX_VALUE) return new Verdict(null, null, Long.MAX_VALUE);
        Duration limit = idleFirst ? limits.idle() : limits.maxDuration();
        if (now - end >= 0) {
            String reason = idleFirst ? "idle for " + SessionTimeLimits.describe(limit)
                    : "time limit of " + SessionTimeLimits.describe(limit) + " reached";
            return new Verdict(null, reason, Long.MAX_VALUE);
        }
        long warnAt = end - SessionTimeLimits.warningLead(limit).toNanos();
        if (now - warnAt < 0) return new Verdict(null, null, warnAt);
        if (warnedFor == end) return new Verdict(null, null, end);
        warnedFor = end;
        String left = SessionTimeLimits.describe(Duration.ofNanos(end - now));
        String why = idleFirst ? "idle for " + SessionTimeLimits.describe(Duration.ofNanos(now - lastActivity))
                : "time limit " + SessionTimeLimits.describe(limit);
        return new Verdict("jail: this session ends in " + left + " (" + why + ")", null, end);
    }
}

package jail.session.init;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class SessionClockTest {
    static final long S = 1_000_000_000L;

    @Test
    void durationsAsWritten() {
        assertEquals(Duration.ofSeconds(3), SessionTimeLimits.parse("3s"));
        assertEquals(Duration.ofMinutes(30), SessionTimeLimits.parse("30m"));
        assertEquals(Duration.ofHours(8), SessionTimeLimits.parse("8H"));
        assertEquals(Duration.ofDays(1), SessionTimeLimits.parse("1d"));
        assertEquals(Duration.ZERO, SessionTimeLimits.parse("0"));
        assertEquals(Duration.ZERO, SessionTimeLimits.parse("none"));
        for (String bad : new String[]{"", "m", "30", "-5m", "3w", "1.5h", "9999999d"}) {
            assertThrows(IllegalArgumentException.class, () -> SessionTimeLimits.parse(bad), bad);
        }
    }

    @Test
    void anIdleSessionIsWarnedOnceThenEnded() {
        SessionClock clock = new SessionClock(new SessionTimeLimits(Duration.ofMinutes(30), Duration.ZERO), 0);
        SessionClock.Verdict first = clock.check(0);
        assertNull(first.warning());
        assertEquals(29 * 60 * S, first.nextCheckNanos(), "the warning comes a minute before the end");
        SessionClock.Verdict warn = clock.check(29 * 60 * S);
        assertEquals("jail: this session ends in 60 s (idle for 29 min)", warn.warning());
        assertEquals(30 * 60 * S, warn.nextCheckNanos());
        assertNull(clock.check(29 * 60 * S + S).warning(), "once");
        assertEquals("idle for 30 min", clock.check(30 * 60 * S).end());
    }

    @Test
    void activityPutsTheEndOff() {
        SessionClock clock = new SessionClock(new SessionTimeLimits(Duration.ofSeconds(3), Duration.ZERO), 0);
        assertEquals(2_700_000_000L, clock.check(0).nextCheckNanos(), "a tenth of a short limit");
        clock.activity(2 * S);
        SessionClock.Verdict v = clock.check(2_700_000_000L);
        assertNull(v.warning());
        assertNull(v.end());
        assertEquals(4_700_000_000L, v.nextCheckNanos());
        assertEquals("jail: this session ends in 0.3 s (idle for 2.7 s)", clock.check(4_700_000_000L).warning());
    }

    @Test
    void theAbsoluteLimitIgnoresActivity() {
        SessionClock clock = new SessionClock(new SessionTimeLimits(Duration.ofMinutes(30), Duration.ofHours(8)), 0);
        long warnAt = 8 * 3600 * S - 60 * S;
        for (long t = 0; t < warnAt; t += 60 * S) clock.activity(t);
        clock.activity(warnAt);
        assertEquals("jail: this session ends in 60 s (time limit 8 h)", clock.check(warnAt).warning());
        clock.activity(8 * 3600 * S);
        assertEquals("time limit of 8 h reached", clock.check(8 * 3600 * S).end());
    }

    @Test
    void noLimitsNoChecks() {
        assertEquals(Long.MAX_VALUE, new SessionClock(SessionTimeLimits.NONE, 0).check(5 * S).nextCheckNanos());
    }
}

package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, idle and absolute time limits: an idle terminal session is warned, then hung up, after
 * idle-timeout; a session with output is not idle; max-duration ends even a busy one, with a warning first.
 */
@RequiresRoot
class SessionTimeLimitsTest {
    static final int IDLE_UID = 61810, MAX_UID = 61811;
    static TestContainer idle, longest;

    @BeforeAll
    static void containers() {
        idle = TestContainer.busybox("jtmidle", IDLE_UID).start("--idle-timeout", "3s");
        longest = TestContainer.busybox("jtmmax", MAX_UID).start("--max-duration", "5s");
    }

    @AfterAll
    static void cleanUp() {
        if (idle != null) idle.close();
        if (longest != null) longest.close();
    }

    static TerminalSession login(int uid) {
        TerminalSession t = TerminalSession.startWith(List.of("TERM=xterm", "PATH=/usr/bin:/bin"), 24, 80,
                Cmd.JAIL, "--uid", String.valueOf(uid));
        t.expect("\\$ ");
        return t;
    }

    @Test
    void anIdleSessionIsWarnedThenHungUp() {
        try (TerminalSession t = login(IDLE_UID)) {
            t.expect("\r\njail: this session ends in 0\\.\\d s \\(idle for 2\\.\\d s\\)\r\n", Duration.ofSeconds(10));
            t.expect("jail: session ended: idle for 3 s", Duration.ofSeconds(5));
            assertNotEquals(0, t.waitExit().value());
        }
    }

    @Test
    void aSessionWithOutputIsNotIdle() {
        try (TerminalSession t = login(IDLE_UID)) {
            t.line("i=0; while [ $i -lt 7 ]; do i=$((i+1)); echo tick$i; sleep 1; done; echo done");
            t.expect("\r\ndone\r\n", Duration.ofSeconds(20));
            assertFalse(t.screen().contains("jail: this session ends"), t.screen());
            t.line("exit");
            assertEquals(0, t.waitExit().value());
        }
    }

    @Test
    void maxDurationEndsABusySession() {
        try (TerminalSession t = login(MAX_UID)) {
            t.line("while true; do echo tick; sleep 0.5; done");
            t.expect("\r\njail: this session ends in 0\\.\\d s \\(time limit 5 s\\)\r\n", Duration.ofSeconds(15));
            t.expect("jail: session ended: time limit of 5 s reached", Duration.ofSeconds(5));
            assertNotEquals(0, t.waitExit().value());
        }
    }
}

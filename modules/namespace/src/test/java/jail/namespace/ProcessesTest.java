package jail.namespace;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class ProcessesTest {
    @Test
    void signalsReachALiveProcessAndSayWhenItIsGone() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        int pid = (int) sleeper.pid();
        assertTrue(Processes.signal(pid, 0), "signal 0: the process exists");
        Processes.kill(pid);
        assertTrue(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(137, sleeper.exitValue());
        assertFalse(Processes.signal(pid, 0), "gone (and reaped by the JDK)");
    }

    @Test
    void waitForSaysWhenThePidIsNoChildOfOurs() {
        assertFalse(Processes.waitFor(1), "init is nobody's child here");
        assertTimeoutPreemptively(Duration.ofSeconds(5), Processes::reapEnded);
    }
}

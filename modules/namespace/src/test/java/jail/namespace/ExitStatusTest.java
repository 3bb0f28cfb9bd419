package jail.namespace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExitStatusTest {

    @Test
    void exitedWithACode() {
        ExitStatus s = ExitStatus.fromWaitStatus(0x0700);
        assertFalse(s.signaled());
        assertEquals(7, s.value());
        assertEquals(7, s.shellCode());
        assertEquals(ExitStatus.exited(7), s);
        assertEquals("exit 7", s.toString());
    }

    @Test
    void exitedWithZeroAndWith255() {
        assertEquals(ExitStatus.exited(0), ExitStatus.fromWaitStatus(0));
        assertEquals(ExitStatus.exited(255), ExitStatus.fromWaitStatus(0xFF00));
        assertEquals(255, ExitStatus.fromWaitStatus(0xFF00).shellCode());
    }

    @Test
    void killedBySignal() {
        ExitStatus s = ExitStatus.fromWaitStatus(0x0009);
        assertTrue(s.signaled());
        assertEquals(9, s.value());
        assertEquals(137, s.shellCode());
        assertEquals(ExitStatus.killed(9), s);
        assertEquals("killed by signal 9", s.toString());
    }

    @Test
    void coreDumpFlagIsNotPartOfTheSignal() {
        ExitStatus s = ExitStatus.fromWaitStatus(0x0080 | 11); // SIGSEGV, core dumped
        assertEquals(ExitStatus.killed(11), s);
        assertEquals(139, s.shellCode());
    }

    @Test
    void shellCodeIs128PlusTheSignal() {
        for (int sig = 1; sig <= 64; sig++) {
            if (sig == 0x7f) continue;
            assertEquals(128 + sig, ExitStatus.fromWaitStatus(sig).shellCode(), "signal " + sig);
            assertEquals(128 + sig, ExitStatus.killed(sig).shellCode());
        }
        assertEquals(130, ExitStatus.killed(2).shellCode());
        assertEquals(143, ExitStatus.killed(15).shellCode());
    }

    @Test
    void everyExitCodeDecodes() {
        for (int code = 0; code < 256; code++) {
            ExitStatus s = ExitStatus.fromWaitStatus(code << 8);
            assertEquals(ExitStatus.exited(code), s, "code " + code);
            assertEquals(code, s.shellCode());
        }
    }

    @Test
    void bitsAboveTheStatusAreIgnored() {
        assertEquals(ExitStatus.exited(3), ExitStatus.fromWaitStatus(0x10000 | 0x0300));
    }
}

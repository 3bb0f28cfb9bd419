package jail.pty;

import jail.namespace.NativeFd;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static jail.namespace.jna.Constants.*;
import static org.junit.jupiter.api.Assertions.*;

/** Raw mode on a real terminal (a pty's slave), read back with stty(1) as a user would see it. */
class TerminalModeTest {
    static String stty(String tty) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stty", "-F", tty, "-a").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return " " + out.replace('\n', ' ').replace(';', ' ') + " ";
    }

    @Test
    void rawModeTurnsOffLineEditingAndEchoAndRestoreBringsThemBack() throws Exception {
        try (PtyPair pty = PtyPair.open("/dev/pts")) {
            int slave = NativeFd.open(pty.slavePath(), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
            try {
                assertTrue(TerminalMode.isTerminal(slave));
                String before = stty(pty.slavePath());
                assertTrue(before.contains(" icanon ") && before.contains(" echo ") && before.contains(" isig "), before);

                TerminalMode mode = TerminalMode.makeRaw(slave);
                String raw = stty(pty.slavePath());
                assertTrue(raw.contains(" -icanon ") && raw.contains(" -echo ") && raw.contains(" -isig ")
                        && raw.contains(" -opost "), raw);

                mode.restore();
                mode.restore(); // twice is harmless (every exit path restores)
                assertEquals(before, stty(pty.slavePath()));
            } finally {
                NativeFd.close(slave);
            }
        }
    }

    @Test
    void aPipeIsNoTerminal() {
        int[] pipe = jail.namespace.io.Pipes.create();
        try {
            assertFalse(TerminalMode.isTerminal(pipe[0]));
        } finally {
            NativeFd.close(pipe[0]);
            NativeFd.close(pipe[1]);
        }
    }
}

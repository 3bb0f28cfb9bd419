package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, the terminal and the locale carried in: a TERM the container has no terminfo entry for becomes the
 * closest one it has, a locale it lacks becomes C.UTF-8 (C where there is none), and the init's log says so;
 * what the container has is kept. Through real terminals (jail run by root on a pty of its own).
 */
@RequiresRoot
class TerminalAndLocaleTest {
    static final int DEBIAN_UID = 61800, BUSYBOX_UID = 61801;
    static TestContainer debian, busybox;

    @BeforeAll
    static void containers() throws IOException {
        debian = TestContainer.debian("jtmdeb", DEBIAN_UID);
        // Debian's ncurses-base has tmux-256color: take it away, as in an older release.
        Files.delete(debian.root.resolve("usr/lib/terminfo/t/tmux-256color"));
        debian.start();
        busybox = TestContainer.busybox("jtmbb", BUSYBOX_UID).start();
    }

    @AfterAll
    static void cleanUp() {
        if (debian != null) debian.close();
        if (busybox != null) busybox.close();
    }

    static String log(int uid) {
        try {
            return Files.readString(Path.of("/var/log/jail/" + uid + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Runs {@code echo} of the given variables in a login shell at a real terminal, with TERM and LANG set. */
    static String shownAtTerminal(int uid, String term, String lang, String prompt) {
        List<String> env = List.of("TERM=" + term, "LANG=" + lang, "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
        try (TerminalSession t = TerminalSession.startWith(env, 24, 80, Cmd.JAIL, "--uid", String.valueOf(uid))) {
            t.expect(prompt);
            t.line("echo \"[$TERM|$LANG]\"; exit");
            String shown = t.expect("\\[([^\\]\r\n]*\\|[^\\]\r\n]*)\\]\r\n");
            t.waitExit();
            return shown;
        }
    }

    @Test
    void aMissingTerminfoEntryAndLocaleFallBackAndAreLogged() {
        assertEquals("screen-256color|C.UTF-8", shownAtTerminal(DEBIAN_UID, "tmux-256color", "xx_YY.UTF-8", "\\$ "));
        Await.until(Duration.ofSeconds(10), () -> log(DEBIAN_UID).contains(
                        "TERM tmux-256color has no terminfo entry in the container: using screen-256color"),
                () -> "no fallback line in the log:\n" + log(DEBIAN_UID));
        assertTrue(log(DEBIAN_UID).contains("locale LANG=xx_YY.UTF-8 is not in the container: using C.UTF-8"), log(DEBIAN_UID));
    }

    @Test
    void whatTheContainerHasIsKept() {
        assertEquals("xterm-256color|C.UTF-8", shownAtTerminal(DEBIAN_UID, "xterm-256color", "C.UTF-8", "\\$ "));
        // glibc's spelling of the same locale
        Cmd.Result r = Cmd.run(null, Map.of("LC_CTYPE", "C.utf8", "LANG", "POSIX"), Cmd.JAIL, "--uid",
                String.valueOf(DEBIAN_UID), "-c", "echo \"$LC_CTYPE $LANG\"");
        assertEquals("C.utf8 POSIX\n", r.stdout(), r.toString());
    }

    @Test
    void aLocaleIsFittedWithoutATerminalToo() {
        Cmd.Result r = Cmd.run(null, Map.of("LANG", "C.UTF-8", "LC_MESSAGES", "de_DE.UTF-8"), Cmd.JAIL, "--uid",
                String.valueOf(DEBIAN_UID), "-c", "echo \"$LANG $LC_MESSAGES\"; locale 2>&1 >/dev/null | wc -l");
        assertEquals("C.UTF-8 C.UTF-8\n0\n", r.stdout(), "locale(1) has no complaint: " + r);
    }

    @Test
    void aBusyboxRootHasNoTerminfoAndNoLocales() {
        assertEquals("vt100|C", shownAtTerminal(BUSYBOX_UID, "xterm-256color", "en_US.UTF-8", "\\$ "));
        Await.until(Duration.ofSeconds(10), () -> log(BUSYBOX_UID).contains(
                        "TERM xterm-256color has no terminfo entry in the container: using vt100"),
                () -> "no fallback line in the log:\n" + log(BUSYBOX_UID));
    }
}

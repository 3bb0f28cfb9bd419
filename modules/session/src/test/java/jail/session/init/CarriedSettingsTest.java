package jail.session.init;

import jail.namespace.locale.LocaleArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TERM and locale fitting against fake root filesystems: terminfo trees, locale directories, an archive. */
class CarriedSettingsTest {
    @TempDir
    Path root;

    private void terminfo(String dir, String sub, String name) throws IOException {
        Path d = Files.createDirectories(root.resolve(dir).resolve(sub));
        Files.write(d.resolve(name), new byte[]{0x1a, 0x01});
    }

    private String term(String requested) {
        return TerminalFallback.choose(requested, new TerminfoDatabase(root)::has);
    }

    @Test
    void tmuxFallsBackThroughScreenThenXterm() throws IOException {
        terminfo("usr/share/terminfo", "x", "xterm-256color");
        terminfo("lib/terminfo", "s", "screen-256color");
        assertEquals("screen-256color", term("tmux-256color"));
        Files.delete(root.resolve("lib/terminfo/s/screen-256color"));
        assertEquals("xterm-256color", term("tmux-256color"));
    }

    @Test
    void anEntryTheContainerHasIsKept() throws IOException {
        terminfo("etc/terminfo", "t", "tmux-256color");
        assertEquals("tmux-256color", term("tmux-256color"));
    }

    @Test
    void hexDirectoriesCount() throws IOException {
        terminfo("usr/share/terminfo", "78", "xterm-kitty");
        assertEquals("xterm-kitty", term("xterm-kitty"));
    }

    @Test
    void aContainerWithoutTerminfoGetsVt100() {
        assertEquals("vt100", term("xterm-256color"));
        assertEquals("vt100", term("linux"));
    }

    @Test
    void chainsPerFamily() {
        assertEquals(List.of("screen-256color", "xterm-256color", "tmux", "screen", "xterm", "vt100"),
                TerminalFallback.chain("tmux-256color"));
        assertEquals(List.of("tmux", "screen", "xterm", "vt100"), TerminalFallback.chain("tmux-direct").subList(3, 7));
        assertEquals(List.of("screen", "xterm", "vt100"), TerminalFallback.chain("screen.linux"));
        assertEquals(List.of("rxvt-256color", "xterm-256color", "rxvt-unicode", "rxvt", "xterm", "vt100"),
                TerminalFallback.chain("rxvt-unicode-256color"));
        assertEquals(List.of("xterm-256color", "xterm", "vt100"), TerminalFallback.chain("alacritty"));
        assertEquals(List.of("xterm", "vt100"), TerminalFallback.chain("xterm-color"));
        assertEquals(List.of("vt220", "vt102", "vt100"), TerminalFallback.chain("linux-16color").subList(1, 4));
        assertFalse(TerminalFallback.chain("linux").contains("xterm"), "a console is not an xterm");
    }

    @Test
    void pathsAndDotsAreNoTerminalNames() throws IOException {
        terminfo("usr/share/terminfo", "x", "xterm");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "x");
        assertEquals("xterm", term("../../etc/passwd"));
        assertFalse(new TerminfoDatabase(root).has(".."));
        assertFalse(new TerminfoDatabase(root).has("x/../../../etc/passwd"));
    }

    @Test
    void aFifoIsNoEntry() throws Exception {
        terminfo("usr/share/terminfo", "x", "xterm");
        Files.createDirectories(root.resolve("usr/share/terminfo/t"));
        Process p = new ProcessBuilder("mkfifo", root.resolve("usr/share/terminfo/t/tmux").toString()).start();
        assertEquals(0, p.waitFor());
        assertEquals("xterm", term("tmux")); // and it did not hang on the FIFO
    }

    @Test
    void localeNamesAreNormalisedAsGlibcDoes() {
        assertEquals("en_US.utf8", LocaleName.normalize("en_US.UTF-8"));
        assertEquals("de_DE.iso88591@euro", LocaleName.normalize("de_DE.ISO-8859-1@euro"));
        assertEquals("ja_JP.eucjp", LocaleName.normalize("ja_JP.EUC-JP"));
        assertEquals("xx.iso885915", LocaleName.normalize("xx.8859-15"));
        assertEquals("C.utf8", LocaleName.normalize("C.UTF-8"));
        assertEquals("en_US", LocaleName.normalize("en_US"));
        assertEquals("sr_RS@latin", LocaleName.normalize("sr_RS@latin"));
    }

    @Test
    void localesFromDirectories() throws IOException {
        Files.createDirectories(root.resolve("usr/lib/locale/C.utf8"));
        Files.createDirectories(root.resolve("usr/lib/locale/en_GB.utf8"));
        LocaleCatalog locales = new LocaleCatalog(root);
        assertTrue(locales.has("C.UTF-8"));
        assertTrue(locales.has("en_GB.UTF-8"));
        assertTrue(locales.has("en_GB.utf8"));
        assertTrue(locales.has("POSIX"));
        assertFalse(locales.has("xx_YY.UTF-8"));
        assertFalse(locales.has("../locale/en_GB.utf8"));
        assertEquals("C.UTF-8", locales.fallback());
    }

    @Test
    void localesFromTheArchive() throws IOException {
        Files.createDirectories(root.resolve("usr/lib/locale"));
        Files.write(root.resolve("usr/lib/locale/locale-archive"), LocaleArchive.encode(List.of("en_US.utf8", "de_DE.iso88591")));
        LocaleCatalog locales = new LocaleCatalog(root);
        assertTrue(locales.has("en_US.UTF-8"));
        assertTrue(locales.has("de_DE.ISO-8859-1"));
        assertFalse(locales.has("fr_FR.UTF-8"));
        assertEquals("C", locales.fallback(), "no C.utf8 in this root");
    }

    @Test
    void anUnreadableArchiveKeepsWhatTheClientSent() throws IOException {
        Files.createDirectories(root.resolve("usr/lib/locale"));
        Files.writeString(root.resolve("usr/lib/locale/locale-archive"), "not an archive");
        assertTrue(new LocaleCatalog(root).has("fr_FR.UTF-8"));
    }

    @Test
    void aRootWithoutLocalesHasCOnly() {
        LocaleCatalog locales = new LocaleCatalog(root);
        assertFalse(locales.has("C.UTF-8"));
        assertEquals("C", locales.fallback());
    }

    @Test
    void fitReplacesWhatIsMissingAndSaysSo() throws IOException {
        terminfo("usr/share/terminfo", "x", "xterm-256color");
        Files.createDirectories(root.resolve("usr/lib/locale/C.utf8"));
        Files.createDirectories(root.resolve("usr/lib/locale/fr_FR.utf8"));
        List<String> env = new ArrayList<>(List.of("HOME=/", "TERM=tmux-256color", "LANG=xx_YY.UTF-8",
                "LC_TIME=fr_FR.UTF-8", "LC_ALL=", "LANGUAGE=xx:fr"));
        List<String> changes = new CarriedSettings(new TerminfoDatabase(root), new LocaleCatalog(root)).fit(env);
        assertEquals(List.of("HOME=/", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_TIME=fr_FR.UTF-8", "LC_ALL=",
                "LANGUAGE=xx:fr"), env);
        assertEquals(List.of("TERM tmux-256color has no terminfo entry in the container: using xterm-256color",
                "locale LANG=xx_YY.UTF-8 is not in the container: using C.UTF-8"), changes);
    }

    @Test
    void dumbIsKept() {
        assertEquals("dumb", term("dumb"));
    }
}

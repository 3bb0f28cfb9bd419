package jail.session.init;

import jail.namespace.account.PasswdEntry;
import jail.session.protocol.Hello;
import jail.session.protocol.Protocol;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionEnvironmentTest {
    private static final PasswdEntry ALICE = new PasswdEntry("alice", 1000, 1000, "Alice", "/home/alice", "/bin/bash");
    private static final PasswdEntry ROOT = new PasswdEntry("root", 0, 0, "root", "/root", "/bin/bash");
    private static final String TTY = "/dev/pts/3";

    private static Hello hello(String term) {
        return new Hello(Protocol.VERSION, Hello.Mode.TERMINAL, true, 24, 80, null, term, List.of());
    }

    private static List<String> build(PasswdEntry user, String term, List<String> clientEnv, String tty) {
        return SessionEnvironment.build(user, user.home(), user.loginShell(), hello(term), clientEnv, tty);
    }

    /** The environment as a map; fails on a name that occurs twice. */
    private static Map<String, String> asMap(List<String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            assertTrue(eq > 0, "NAME=value: " + e);
            String old = m.put(e.substring(0, eq), e.substring(eq + 1));
            assertNull(old, "duplicate " + e.substring(0, eq) + " in " + env);
        }
        return m;
    }

    @Test
    void accountVariablesInLoginOrder() {
        List<String> env = build(ALICE, "xterm", List.of(), null);
        assertEquals(List.of("HOME=/home/alice", "USER=alice", "LOGNAME=alice", "SHELL=/bin/bash",
                "PATH=/usr/local/bin:/usr/bin:/bin"), env);
    }

    @Test
    void homeAndShellComeFromTheArgumentsNotTheEntry() {
        List<String> env = SessionEnvironment.build(ALICE, "/", "/bin/sh", hello(""), List.of(), null);
        Map<String, String> m = asMap(env);
        assertEquals("/", m.get("HOME"));
        assertEquals("/bin/sh", m.get("SHELL"));
    }

    @Test
    void rootGetsTheSbinPath() {
        Map<String, String> m = asMap(build(ROOT, "", List.of(), null));
        assertEquals("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", m.get("PATH"));
        assertEquals(SessionSpawner.ROOT_PATH, m.get("PATH"));
        assertEquals("root", m.get("USER"));
        assertEquals("root", m.get("LOGNAME"));
        assertEquals("/root", m.get("HOME"));
    }

    @Test
    void rootIsDecidedByUidNotName() {
        PasswdEntry toor = new PasswdEntry("toor", 0, 0, "", "/root", "/bin/sh");
        PasswdEntry fakeRoot = new PasswdEntry("root", 1001, 1001, "", "/home/r", "/bin/sh");
        assertEquals(SessionSpawner.ROOT_PATH, asMap(build(toor, "", List.of(), null)).get("PATH"));
        assertEquals(SessionSpawner.DEFAULT_PATH, asMap(build(fakeRoot, "", List.of(), null)).get("PATH"));
    }

    @Test
    void termOnlyWithATty() {
        assertEquals("xterm-256color", asMap(build(ALICE, "xterm-256color", List.of(), TTY)).get("TERM"));
        assertFalse(asMap(build(ALICE, "xterm-256color", List.of(), null)).containsKey("TERM"));
    }

    @Test
    void emptyOrMissingTermIsDumb() {
        assertEquals("dumb", asMap(build(ALICE, "", List.of(), TTY)).get("TERM"));
        assertEquals("dumb", asMap(build(ALICE, null, List.of(), TTY)).get("TERM"));
    }

    @Test
    void clientTermVariableIsNotPassed() {
        Map<String, String> m = asMap(build(ALICE, "vt100", List.of("TERM=evil"), TTY));
        assertEquals("vt100", m.get("TERM"));
        assertFalse(asMap(build(ALICE, "vt100", List.of("TERM=evil"), null)).containsKey("TERM"));
    }

    @Test
    void passedNamesCrossOver() {
        List<String> client = List.of("LANG=de_DE.UTF-8", "LANGUAGE=de:en", "LC_ALL=C", "LC_MESSAGES=fr_FR",
                "LC_PAPER=en_GB", "TZ=Europe/Berlin", "COLORTERM=truecolor",
                "SSH_CLIENT=10.0.0.1 5000 22", "SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22");
        List<String> env = build(ALICE, "xterm", client, null);
        assertEquals(client, env.subList(5, env.size()), "passed in the client's order, after the account's");
    }

    @Test
    void valuesArePassedVerbatim() {
        Map<String, String> m = asMap(build(ALICE, "", List.of("LANG=", "TZ=a=b=c", "LC_CTYPE= spaced "), null));
        assertEquals("", m.get("LANG"));
        assertEquals("a=b=c", m.get("TZ"));
        assertEquals(" spaced ", m.get("LC_CTYPE"));
    }

    @Test
    void hostileNamesAreDropped() {
        List<String> client = List.of("LD_PRELOAD=/tmp/evil.so", "LD_LIBRARY_PATH=/tmp", "PATH=/tmp/evil",
                "HOME=/etc", "USER=root", "LOGNAME=root", "SHELL=/tmp/sh", "BASH_ENV=/tmp/x", "ENV=/tmp/x",
                "IFS=x", "LC_ALL;x=1", "LC_=1", "lc_all=C", "LC_all=C", " LANG=C", "LANG =C", "TZ\n=1", "SSH_AUTH_SOCK=/tmp/a",
                "SSH_ORIGINAL_COMMAND=rm", "MAIL=/x", "PS1=$", "XDG_RUNTIME_DIR=/run", "DISPLAY=:0", "TERM=xterm");
        List<String> env = build(ALICE, "", client, null);
        assertEquals(List.of("HOME=/home/alice", "USER=alice", "LOGNAME=alice", "SHELL=/bin/bash",
                "PATH=/usr/local/bin:/usr/bin:/bin"), env);
    }

    @Test
    void entriesWithoutANameAreDropped() {
        List<String> env = build(ALICE, "", List.of("=LANG", "LANG", "", "="), null);
        assertEquals(5, env.size(), env.toString());
    }

    @Test
    void hostileNamesAmongGoodOnes() {
        Map<String, String> m = asMap(build(ALICE, "", List.of("LD_PRELOAD=x", "LANG=C", "PATH=/x", "TZ=UTC"), null));
        assertEquals("C", m.get("LANG"));
        assertEquals("UTC", m.get("TZ"));
        assertEquals("/usr/local/bin:/usr/bin:/bin", m.get("PATH"));
        assertFalse(m.containsKey("LD_PRELOAD"));
        assertEquals(7, m.size());
    }

    @Test
    void clientSshTtyIsNeverPassed() {
        for (String tty : new String[]{null, TTY}) {
            Map<String, String> m = asMap(build(ALICE, "xterm", List.of("SSH_TTY=/dev/pts/99"), tty));
            assertFalse(m.containsKey("SSH_TTY"), "no SSH_CONNECTION: no SSH_TTY at all (tty " + tty + ")");
        }
    }

    @Test
    void sshTtyIsTheContainerTtyWhenSshConnectionAndTty() {
        List<String> client = List.of("SSH_TTY=/dev/pts/99", "SSH_CONNECTION=1.2.3.4 1 5.6.7.8 22");
        List<String> env = build(ALICE, "xterm", client, TTY);
        Map<String, String> m = asMap(env);
        assertEquals(TTY, m.get("SSH_TTY"));
        assertEquals("SSH_TTY=" + TTY, env.getLast());
        assertEquals(1, env.stream().filter(e -> e.startsWith("SSH_TTY=")).count());
    }

    @Test
    void noSshTtyWithoutATty() {
        Map<String, String> m = asMap(build(ALICE, "", List.of("SSH_CONNECTION=1.2.3.4 1 5.6.7.8 22"), null));
        assertEquals("1.2.3.4 1 5.6.7.8 22", m.get("SSH_CONNECTION"));
        assertFalse(m.containsKey("SSH_TTY"));
    }

    @Test
    void noSshTtyWithOnlySshClient() {
        Map<String, String> m = asMap(build(ALICE, "xterm", List.of("SSH_CLIENT=1.2.3.4 1 22"), TTY));
        assertEquals("1.2.3.4 1 22", m.get("SSH_CLIENT"));
        assertFalse(m.containsKey("SSH_TTY"));
    }

    @Test
    void sessionEnvironmentNames() {
        for (String name : List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MEASUREMENT", "LC_X_Y", "TZ",
                "COLORTERM", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")) {
            assertTrue(SessionEnvironmentNames.isPassed(name), name);
            assertTrue(SessionEnvironment.isPassed(name), name);
        }
        for (String name : List.of("", "LC_", "LC_all", "LC_ALL;x", "LC_ALL ", "LC_1", "LANGX", "TZ2", "TERM", "PATH",
                "HOME", "LD_PRELOAD", "SSH_AUTH_SOCK", "lang", "DISPLAY")) {
            assertFalse(SessionEnvironmentNames.isPassed(name), "'" + name + "'");
        }
    }
}

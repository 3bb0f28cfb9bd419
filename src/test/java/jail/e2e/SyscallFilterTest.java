package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sessions' syscall filter, tried from inside by a probe that makes each call for real: the default
 * refuses keyrings (which the kernel keys by uid: the host user's own), perf, io_uring, userfaultfd, new
 * user namespaces (clone3 answers ENOSYS so that glibc falls back to clone), the fatal signals the init's JVM
 * would take from a root inside, and prlimit on other processes; {@code unconfined} has no filter; a profile
 * file starts from the default and takes calls out or adds them; a bad profile stops the start.
 */
@RequiresRoot
class SyscallFilterTest {
    static TestContainer filtered;
    static TestContainer unconfined;
    static TestContainer profiled;

    @BeforeAll
    static void start() throws IOException {
        filtered = withProbe(TestContainer.busybox("jt-sec-sc", 69021)).start();
        unconfined = withProbe(TestContainer.busybox("jt-sec-sc-u", 69022)).start("--seccomp", "unconfined");
        profiled = withProbe(TestContainer.busybox("jt-sec-sc-p", 69023));
        Path profile = profiled.root.getParent().resolve("jt-sec-sc-p.seccomp");
        Files.writeString(profile, "# the default, keys allowed, and no more prlimit of our own either\n@default\n!keyctl\n!add_key\nprlimit64\n");
        profiled.start("--seccomp", profile.toString());
    }

    @AfterAll
    static void stop() {
        for (TestContainer c : new TestContainer[]{filtered, unconfined, profiled}) if (c != null) c.close();
    }

    static TestContainer withProbe(TestContainer c) throws IOException {
        Path probe = c.root.resolve("usr/local/bin/syscall-probe");
        Files.createDirectories(probe.getParent());
        Cmd.ok("gcc", "-static", "-O2", "-o", probe.toString(), Cmd.PROJECT.resolve("src/test/c/syscall-probe.c").toString());
        return c;
    }

    static Map<String, String> probe(TestContainer c) {
        Cmd.Result r = c.su("syscall-probe");
        assertEquals(0, r.exit(), r::toString);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Cmd.lines(r.stdout())) m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        return m;
    }

    @Test
    void theDefaultFilterRefusesWhatSharesKernelStateWithTheHost() {
        Map<String, String> m = probe(filtered);
        for (String call : new String[]{"keyctl", "add_key", "perf_event_open", "io_uring_setup", "userfaultfd",
                "unshare-user", "kill-segv", "prlimit-other"}) {
            assertEquals("EPERM", m.get(call), call + " in " + m);
        }
        assertEquals("ENOSYS", m.get("clone3"), m::toString);
        assertEquals("OK", m.get("prlimit-self"), "a process may still read and set its own limits: " + m);
        assertEquals("2", filtered.su("grep Seccomp: /proc/self/status | cut -f2").stdout().trim());
        assertEquals("ok\n", filtered.su("sh -c 'echo ok' | cat").stdout(), "forks, pipes and exec still work");
    }

    @Test
    void unconfinedHasNoFilter() {
        Map<String, String> m = probe(unconfined);
        for (String call : new String[]{"keyctl", "add_key", "unshare-user", "clone3", "kill-segv", "prlimit-other"}) {
            assertEquals("OK", m.get(call), call + " in " + m);
        }
        assertEquals("0", unconfined.su("grep Seccomp: /proc/self/status | cut -f2").stdout().trim());
    }

    @Test
    void aProfileStartsFromTheDefaultAndChangesIt() {
        Map<String, String> m = probe(profiled);
        assertEquals("OK", m.get("keyctl"), m::toString);
        assertEquals("OK", m.get("add_key"), m::toString);
        assertEquals("EPERM", m.get("unshare-user"), m::toString);
        assertEquals("EPERM", m.get("prlimit-self"), m::toString);
    }

    @Test
    void aBadProfileIsRefusedWithOneLine() throws IOException {
        Path bad = filtered.root.getParent().resolve("jt-sec-sc-bad.seccomp");
        Files.writeString(bad, "@default\nno_such_call\n");
        TestContainer c = TestContainer.busybox("jt-sec-sc-b", 69024);
        try {
            Cmd.Result r = Cmd.run(c.jaildArgv("--seccomp", bad.toString()));
            assertEquals(1, r.exit(), r::toString);
            assertEquals("jaild: --seccomp: " + bad + ":2: unknown system call 'no_such_call'\n", r.stderr());
            r = Cmd.run(c.jaildArgv("--seccomp", "relaxed"));
            assertEquals(1, r.exit(), r::toString);
            assertEquals("jaild: --seccomp: 'relaxed' is not default, unconfined or an absolute path\n", r.stderr());
        } finally {
            c.close();
            Files.deleteIfExists(bad);
        }
    }
}

package jail.namespace.spawn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SyscallFilterTest {
    @Test
    void theDefaultRefusesWhatTheIssueNames() {
        for (String call : List.of("keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
                "init_module", "finit_module", "kexec_load", "open_by_handle_at", SyscallFilter.NEW_USER_NAMESPACES)) {
            assertTrue(SyscallFilter.DEFAULT.denied().contains(call), call);
        }
        assertTrue(SyscallFilter.DEFAULT.confines());
        assertFalse(SyscallFilter.UNCONFINED.confines());
    }

    @Test
    void everyNameOfTheDefaultIsKnownToLibseccomp() {
        assertEquals(SyscallFilter.DEFAULT, SyscallFilter.parse("@default\n", "test"));
    }

    @Test
    void aProfileStartsFromNothingOrTheDefaultAndTakesCallsOut() {
        assertEquals(List.of("keyctl", "bpf"), SyscallFilter.parse("# keys and bpf\nkeyctl\n\nbpf   # no BPF\n", "p").denied());
        List<String> expected = new ArrayList<>(SyscallFilter.DEFAULT.denied());
        expected.remove("keyctl");
        expected.add("ptrace");
        assertEquals(expected, SyscallFilter.parse("@default\n!keyctl\nptrace\nptrace\n", "p").denied());
    }

    @Test
    void mistakesNameTheFileAndLine() {
        assertEquals("p:2: unknown system call 'no_such_call'",
                assertThrows(SyscallFilter.ProfileException.class, () -> SyscallFilter.parse("keyctl\nno_such_call\n", "p")).getMessage());
        assertEquals("p:1: 'rm -rf' is not a system call name",
                assertThrows(SyscallFilter.ProfileException.class, () -> SyscallFilter.parse("rm -rf\n", "p")).getMessage());
        assertEquals("p:1: keyctl is not refused above, nothing to allow",
                assertThrows(SyscallFilter.ProfileException.class, () -> SyscallFilter.parse("!keyctl\n", "p")).getMessage());
    }

    @Test
    void aSettingIsDefaultUnconfinedOrAnAbsolutePath(@TempDir Path dir) throws Exception {
        assertSame(SyscallFilter.DEFAULT, SyscallFilter.of("default"));
        assertSame(SyscallFilter.UNCONFINED, SyscallFilter.of("unconfined"));
        Path profile = dir.resolve("p");
        Files.writeString(profile, "keyctl\n");
        assertEquals(List.of("keyctl"), SyscallFilter.of(profile.toString()).denied());
        assertThrows(SyscallFilter.ProfileException.class, () -> SyscallFilter.of("relative/path"));
        assertTrue(assertThrows(SyscallFilter.ProfileException.class, () -> SyscallFilter.of(dir.resolve("missing").toString()))
                .getMessage().startsWith("cannot read seccomp profile " + dir.resolve("missing")));
    }
}

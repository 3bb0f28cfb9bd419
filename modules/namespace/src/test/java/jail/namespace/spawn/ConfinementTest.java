package jail.namespace.spawn;

import jail.namespace.Credentials;
import jail.namespace.ResourceLimits;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConfinementTest {
    @Test
    void aSessionGetsALoginsLimitsUnlessConfigured() {
        assertEquals(List.of("--rlimit", "core=0:unlimited", "--rlimit", "memlock=8388608:8388608", "--rlimit", "nice=0:0",
                "--rlimit", "nofile=1024:524288", "--rlimit", "rtprio=0:0", "--rlimit", "stack=8388608:unlimited"),
                ResourceLimits.DEFAULTS.helperArguments());
        List<String> configured = new ResourceLimits(4096, 512, 0).helperArguments();
        assertTrue(configured.contains("nofile=4096:4096"), configured::toString);
        assertTrue(configured.contains("nproc=512:512"), configured::toString);
        assertTrue(configured.contains("core=0:0"), configured::toString);
        assertFalse(configured.contains("nofile=1024:524288"), configured::toString);
    }

    @Test
    void theHelperIsToldEverythingInOrder() {
        Confinement c = new Confinement(new Credentials(61000, 61001, new int[]{61001, 5}), true,
                new ResourceLimits(-1, 64, -1), new SyscallFilter(List.of("keyctl", "bpf")), "/home/work");
        List<String> args = c.helperArguments();
        assertEquals(List.of("--uid", "61000", "--gid", "61001", "--groups", "61001,5", "--no-new-privs"), args.subList(0, 7));
        assertEquals(List.of("--seccomp-deny", "keyctl,bpf", "--chdir", "/home/work"), args.subList(args.size() - 4, args.size()));
        assertTrue(args.contains("nproc=64:64"), args::toString);
    }

    @Test
    void unconfinedAndNoGroupsLeaveTheirOptionsOut() {
        List<String> args = new Confinement(new Credentials(0, 0, new int[0]), false, ResourceLimits.DEFAULTS,
                SyscallFilter.UNCONFINED, "/").helperArguments();
        assertFalse(args.contains("--groups"));
        assertFalse(args.contains("--no-new-privs"));
        assertFalse(args.contains("--seccomp-deny"));
    }
}

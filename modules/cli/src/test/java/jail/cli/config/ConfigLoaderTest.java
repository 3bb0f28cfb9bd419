package jail.cli.config;

import jail.session.init.DetachPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The validation split: what makes the files untrustworthy refuses the whole configuration, named by file,
 * key and reason; what only concerns one container's world (its root, its bind sources) is left to that
 * container's start. Needs no root and no running container.
 */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    Path file(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    static String container(String name, int uid, String root, String extra) {
        return "    " + name + ":\n      uid: " + uid + "\n      root: " + root + "\n" + extra;
    }

    @Test
    void aMissingRootOrBindSourceIsThatContainersProblemNotTheFiles() throws Exception {
        Path f = file("jail.yaml", "jail:\n  containers:\n"
                + container("good", 1001, dir.toString(), "")
                + container("unmounted", 1002, "/nonexistent/disk/root", "")
                + container("notadir", 1003, f0().toString(), "")
                + container("nobind", 1004, dir.toString(), "      binds:\n        - { source: /nonexistent/share }\n"));
        Map<String, ContainerDefinition> all = ConfigLoader.load(List.of(f), Map.of());
        assertEquals(List.of("good", "nobind", "notadir", "unmounted"), all.keySet().stream().sorted().toList());
        assertEquals(Path.of("/nonexistent/disk/root"), all.get("unmounted").root());
        assertEquals(f.toString(), all.get("unmounted").source(), "each definition knows the file it came from");
    }

    @Test
    void bindsRlimitsAndEnvironmentBecomeTypedValues() throws Exception {
        Path f = file("typed.yaml", "jail:\n  containers:\n" + container("t", 1005, dir.toString(),
                "      rlimits: { nofile: 4096, core: 1M }\n"
                        + "      binds:\n        - { source: /srv/a|b, target: /in/a|b }\n"
                        + "        - { source: /srv/logs, read-only: false }\n"
                        + "      environment: { MAILHOST: mail.example.com }\n"));
        ContainerDefinition t = ConfigLoader.load(List.of(f), Map.of()).get("t");
        assertEquals(new jail.namespace.ResourceLimits(4096, -1, 1 << 20), t.rlimits());
        assertEquals(List.of(new jail.namespace.BindMount(Path.of("/srv/a|b"), "/in/a|b", true),
                new jail.namespace.BindMount(Path.of("/srv/logs"), "/srv/logs", false)), t.binds());
        assertEquals(Map.of("MAILHOST", "mail.example.com"), t.environment());
    }

    Path f0() throws Exception {
        return file("plain-file", "x");
    }

    @Test
    void whatMakesTheFileUntrustworthyRefusesEverything() throws Exception {
        Path f = file("bad.yaml", "jail:\n  containers:\n"
                + container("a", 2001, dir.toString(), "      limits: { memory: 12X }\n")
                + container("b", 2001, dir.toString(), "")
                + container("c", 2003, "relative/root", "")
                + container("d", 2004, dir.toString(), "      binds:\n        - { source: relative/share }\n")
                + container("e", 2005, dir.toString(), "      seccomp: relaxed\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(f), Map.of()));
        assertEquals(List.of(
                f + ": jail.containers.a.limits.memory: '12X' is not a size: use a number with an optional K, M, G or T suffix",
                f + ": jail.containers.b.uid: uid 2001 is already used by container 'a'",
                f + ": jail.containers.c.root: must be an absolute path",
                f + ": jail.containers.d.binds[0].source: must be an absolute path",
                f + ": jail.containers.e.seccomp: 'relaxed' is not default, unconfined or an absolute path"), e.problems());
    }

    @Test
    void agentForwardingIsOnUnlessTurnedOff() throws Exception {
        Path f = file("agent.yaml", "jail:\n  containers:\n"
                + container("fwd", 4001, dir.toString(), "")
                + container("nofwd", 4002, dir.toString(), "      sessions: { agent-forwarding: false }\n"));
        Map<String, ContainerDefinition> all = ConfigLoader.load(List.of(f), Map.of());
        assertTrue(all.get("fwd").agentForwarding());
        assertFalse(all.get("nofwd").agentForwarding());
    }

    @Test
    void unknownKeysAndBrokenYamlNameTheirFile() throws Exception {
        Path unknown = file("unknown.yaml", "jail:\n  containers:\n" + container("x", 3001, dir.toString(), "      memroy: 1G\n"));
        assertEquals(List.of(unknown + ": jail.containers.x.memroy: unknown key"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(unknown), Map.of())).problems());
        Path broken = file("broken.yaml", "jail:\n  containers: [\n");
        List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(broken), Map.of())).problems();
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith(broken + ": not valid YAML: "), problems::toString);
    }

    @Test
    void aLaterFileOverridesAnEarlierOneKeyByKey() throws Exception {
        Path base = file("jail.yaml", "jail:\n  containers:\n" + container("x", 4001, dir.toString(), "      hostname: one\n"));
        Path dropIn = file("10-x.yaml", "jail:\n  containers:\n    x:\n      hostname: two\n");
        ContainerDefinition x = ConfigLoader.load(List.of(base, dropIn), Map.of()).get("x");
        assertEquals("two", x.hostname());
        assertEquals(4001, x.uid());
    }

    @Test
    void detachGraceAndReattachArePerContainer() throws Exception {
        Path f = file("detach.yaml", "jail:\n  containers:\n"
                + container("kept", 5001, dir.toString(), "      sessions: { detach-grace: 30m, reattach: always }\n")
                + container("plain", 5002, dir.toString(), "")
                + container("hangup", 5003, dir.toString(), "      sessions: { detach-grace: 0 }\n"));
        Map<String, ContainerDefinition> all = ConfigLoader.load(List.of(f), Map.of());
        assertEquals(new DetachPolicy(java.time.Duration.ofMinutes(30),
                DetachPolicy.Reattach.ALWAYS), all.get("kept").detachPolicy());
        assertEquals(DetachPolicy.DEFAULT, all.get("plain").detachPolicy());
        assertFalse(all.get("hangup").detachPolicy().keepsSessions());
        Path bad = file("bad-detach.yaml", "jail:\n  containers:\n"
                + container("x", 5004, dir.toString(), "      sessions: { reattach: sometimes }\n"));
        assertEquals(List.of(bad + ": jail.containers.x.sessions.detach-grace/reattach: 'sometimes' is not one of ask, always, never"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(bad), Map.of())).problems());
    }
}

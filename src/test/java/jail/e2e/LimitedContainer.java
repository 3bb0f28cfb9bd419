package jail.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A busybox container of root's with cgroup limits, started from a configuration file of its own in
 * {@code WORK/NAME} (limits have no jaild flag); {@link #close} stops it and removes the directory.
 */
final class LimitedContainer implements AutoCloseable {
    final String name;
    final int uid;
    final Path dir;
    final Path config;

    /** @param limits the YAML flow map of {@code limits:}, e.g. {@code memory: 256M, pids: 64} */
    static LimitedContainer start(String name, int uid, String limits) throws Exception {
        Path dir = TestContainer.WORK.resolve(name);
        Cmd.run(Cmd.JAILD, "stop", String.valueOf(uid));
        Cmd.run("rm", "-rf", dir.toString());
        Files.createDirectories(dir);
        Cmd.ok(Cmd.MKROOTFS, "busybox", dir.resolve("root").toString(), "--uid", String.valueOf(uid));
        Path config = dir.resolve("jail.yaml");
        Files.writeString(config, "jail:\n  containers:\n    " + name + ":\n      uid: " + uid + "\n      root: " + dir.resolve("root")
                + "\n      limits: { " + limits + " }\n");
        Cmd.Result r = Cmd.run(Cmd.JAILD, "start", "--config", config.toString());
        assertEquals(0, r.exit(), r::toString);
        return new LimitedContainer(name, uid, dir, config);
    }

    private LimitedContainer(String name, int uid, Path dir, Path config) {
        this.name = name;
        this.uid = uid;
        this.dir = dir;
        this.config = config;
    }

    Cmd.Result jail(String command) {
        return Cmd.run(Cmd.JAIL, "--uid", String.valueOf(uid), "-c", command);
    }

    /** Waits (30 s at most) until a new session answers: after a fork bomb, once its processes are gone. */
    void awaitAlive() {
        Await.value(java.time.Duration.ofSeconds(30), () -> jail("echo alive"), alive -> alive.stdout().equals("alive\n"),
                alive -> "no session answers: " + alive);
    }

    @Override
    public void close() {
        Cmd.run(Cmd.JAILD, "stop", name);
        Cmd.run("rm", "-rf", dir.toString());
    }
}

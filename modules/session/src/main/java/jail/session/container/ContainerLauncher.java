package jail.session.container;

import jail.namespace.NativeFd;
import jail.namespace.Processes;
import jail.namespace.Namespaces;
import jail.cgroup.ContainerCgroup;
import jail.namespace.spawn.ProcessSpawner;
import jail.namespace.spawn.SpawnRequest;
import jail.session.init.InitConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static jail.namespace.jna.Constants.*;

/**
 * Starts a container: its init JVM, spawned as PID 1 of new PID, mount, UTS and IPC namespaces (the network
 * stays the host's), detached from our terminal and session, with /dev/null as stdin, its log as
 * stdout/stderr and a readiness pipe as fd 3, and no other fd.
 *
 * <p>The sequence, top to bottom in {@link #start}: refuse a uid that already has a live container; open
 * the log and the readiness pipe; spawn the init into new namespaces ({@link InitNamespaces}: root's, or a
 * user's own for a rootless container); wait for the init's READY (or its one-line error); record the state.
 */
public final class ContainerLauncher {
    private static final int READY_TIMEOUT_MS = 60_000;

    private final StateDirectory state;
    private final InitRuntime runtime;
    private final Path logDir;

    /**
     * @param logToOurOutput the init writes its log lines to our stdout/stderr (a supervisor in the foreground,
     *                       whose output is the journal) instead of a log file of its own
     */
    public ContainerLauncher(StateDirectory state, InitRuntime runtime, Path logDir, boolean logToOurOutput) {
        this(state, runtime, logDir, logToOurOutput, new HostNamespaces());
    }

    public ContainerLauncher(StateDirectory state, InitRuntime runtime, Path logDir, boolean logToOurOutput,
                             InitNamespaces namespaces) {
        this.state = state;
        this.runtime = runtime;
        this.logDir = logDir;
        this.logToOurOutput = logToOurOutput;
        this.namespaces = namespaces;
    }

    private final boolean logToOurOutput;
    private final InitNamespaces namespaces;

    /** A container that could not be started; the message is one line for the user. */
    public static final class LaunchException extends Exception {
        public LaunchException(String message) {
            super(message);
        }
    }

    public ContainerState start(ContainerSpec spec) throws LaunchException, IOException {
        int uid = spec.uid();
        int gid = spec.gid();
        Path root = spec.root();
        state.ensure();
        var existing = state.find(uid);
        if (existing.isPresent() && existing.get().isAlive()) {
            throw new LaunchException("a container for uid " + uid + " is already running (init pid "
                    + existing.get().pid() + ", root " + existing.get().root() + ")");
        }
        state.clear(uid); // stale socket and state of a container that died
        if (namespaces.rootless() && !spec.cgroup().isEmpty()) {
            throw new LaunchException("cgroup limits (memory, pids, cpu) need a container started by root");
        }

        Files.createDirectories(logDir);
        Path log = logDir.resolve(uid + ".log");
        InitConfig config = spec.initConfig(state.socket(uid), state.stateFile(uid), InitProcess.READY_FD);
        Path argumentFile = state.path().resolve(uid + ".args");
        writeRootOnly(argumentFile, InitCommand.argumentFile(runtime, config));
        List<String> argv = InitCommand.argv(config, argumentFile);

        int logFd = logToOurOutput ? -1 : NativeFd.open(log.toString(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        // Sessions' commands are in it: not for other host users, also when an older jaild made it 0644.
        if (!logToOurOutput) Files.setPosixFilePermissions(log, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        int[] ready = jail.namespace.io.Pipes.create();
        int pid;
        try {
            pid = namespaces.spawn(new InitProcess(uid, gid, runtime.java().toString(), argv, initEnvironment(),
                    logToOurOutput ? 1 : logFd, ready[1]));
        } finally {
            NativeFd.close(logFd);
            NativeFd.close(ready[1]);
        }
        try {
            if (!namespaces.rootless()) confine(pid, spec);
        } catch (IOException | RuntimeException e) {
            Processes.kill(pid);
            NativeFd.close(ready[0]);
            Files.deleteIfExists(argumentFile);
            throw new LaunchException("cannot apply the container's limits: " + e.getMessage());
        }
        String answer;
        try {
            answer = readReadiness(ready[0]);
        } finally {
            NativeFd.close(ready[0]);
        }
        if (!answer.equals("READY")) {
            Processes.kill(pid);
            Files.deleteIfExists(argumentFile); // it carries the configured environment: not left behind
            String reason = answer.startsWith("ERROR ") ? answer.substring(6)
                    : "the container init exited before it was ready (see " + log + ")";
            throw new LaunchException(reason);
        }
        ContainerState started = new ContainerState(spec.name(), uid, gid, root, pid, state.socket(uid), log, Instant.now());
        state.write(started);
        return started;
    }

    /**
     * The argument file holds the configured environment of sessions (which may carry secrets): mode 0600 from
     * its creation on, and a fresh file each time, so that neither an old mode nor a planted link is kept.
     */
    private static void writeRootOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try (var out = Files.newByteChannel(file, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            out.write(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /**
     * Puts the init (and so everything it will spawn) into the container's cgroup before it can start a
     * session, and shields it from the OOM killer: a memory hog inside is killed, not the container.
     */
    private static void confine(int pid, ContainerSpec spec) throws IOException {
        // oom_score_adj first: the cgroup below is what a limit is enforced with.
        try {
            Files.writeString(Path.of("/proc/" + pid + "/oom_score_adj"), "-1000");
        } catch (IOException e) {
            // Needs CAP_SYS_RESOURCE, which some hosts (sandboxes) withhold from root. Without it the OOM killer
            // still prefers the biggest process, which is the hog rather than the idle init.
        }
        if (spec.cgroup().isEmpty()) {
            ContainerCgroup.find(cgroupName(spec.uid())).ifPresent(ContainerCgroup::remove); // limits were dropped
            return;
        }
        ContainerCgroup.create(cgroupName(spec.uid()), spec.cgroup()).attach(pid);
    }

    /** The cgroup of a container is named by its uid: unique, and stable across renames. */
    public static String cgroupName(int uid) {
        return "uid-" + uid;
    }

    /** Reads the init's single report line, or "" if it closed the pipe (died) without one. */
    private static String readReadiness(int fd) {
        return readLine(fd, READY_TIMEOUT_MS);
    }

    /** Reads what a child reports on a pipe until it closes it; "" if nothing, an ERROR line on time-out. */
    static String readLine(int fd, int timeoutMillis) {
        try {
            return NativeFd.readUntilClosed(fd, timeoutMillis).strip();
        } catch (java.util.concurrent.TimeoutException e) {
            return "ERROR the container init did not become ready within " + timeoutMillis / 1000 + " s";
        }
    }

    /** The init's environment: nothing of ours (it may hold secrets), just what a JVM needs. */
    static List<String> initEnvironment() {
        // Two malloc arenas: an init has few busy threads, and each arena costs resident memory.
        return List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "MALLOC_ARENA_MAX=2");
    }

}

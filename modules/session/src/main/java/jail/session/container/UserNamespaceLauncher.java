package jail.session.container;

import jail.namespace.NativeFd;
import jail.namespace.Processes;
import jail.namespace.spawn.ProcessSpawner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;


/**
 * Rootless containers: an ordinary user's jaild cannot create a user namespace itself (unshare(CLONE_NEWUSER)
 * fails in a multi-threaded process), so it spawns the static helper jail-userns
 * ({@code modules/namespace/src/main/c/jail-userns.c}) with the init's fds in place. The helper clones into new
 * user, PID, mount, UTS and IPC namespaces, writes the id maps from outside (itself, or newuidmap/newgidmap for
 * subordinate ranges), reports the init's pid on fd 4, and exits; its child execs the init with its
 * capabilities (in its own user namespace only) kept across exec.
 */
public final class UserNamespaceLauncher implements InitNamespaces {
    private static final int REPORT_FD = 4;
    private static final int REPORT_TIMEOUT_MS = 30_000;

    private final Path helper;
    private final int hostUid;
    private final int hostGid;
    private final Optional<SubordinateIds> subuid;
    private final Optional<SubordinateIds> subgid;

    /** For host user {@code hostUid} (group {@code hostGid}), with its subordinate ranges if it has both. */
    public UserNamespaceLauncher(Path helper, int hostUid, int hostGid, Optional<SubordinateIds> subuid,
                                 Optional<SubordinateIds> subgid) {
        this.helper = helper;
        this.hostUid = hostUid;
        this.hostGid = hostGid;
        this.subuid = subuid;
        this.subgid = subgid;
    }

    /** The calling user's, with its ranges from /etc/subuid and /etc/subgid. */
    public static UserNamespaceLauncher forCaller(Path helper, int uid, int gid, String userName) {
        return new UserNamespaceLauncher(helper, uid, gid, SubordinateIds.of(SubordinateIds.SUBUID, userName, uid),
                SubordinateIds.of(SubordinateIds.SUBGID, userName, uid));
    }

    @Override
    public int spawn(InitProcess init) throws ContainerLauncher.LaunchException {
        if (init.uid() != hostUid && init.uid() != 0) {
            throw new ContainerLauncher.LaunchException("a rootless container's user is its owner (uid " + hostUid
                    + ") or root inside (uid 0), not uid " + init.uid());
        }
        IdMapping mapping = IdMapping.of(init.uid(), init.gid(), hostUid, hostGid, subuid, subgid);
        List<String> argv = new ArrayList<>(List.of("jail-userns", "--report-fd", String.valueOf(REPORT_FD),
                "--uid-map", mapping.uidMap(), "--gid-map", mapping.gidMap()));
        if (mapping.subordinate()) argv.add("--newidmap");
        argv.add("--");
        argv.add(init.java());
        argv.addAll(init.argv());
        int[] report = jail.namespace.io.Pipes.create();
        int helperPid;
        try {
            helperPid = ProcessSpawner.spawn(init.request(helper.toString(), argv).dup2(report[1], REPORT_FD)
                    .closeFrom(REPORT_FD + 1).chdir("/"));
        } catch (RuntimeException e) {
            NativeFd.close(report[0]);
            throw new ContainerLauncher.LaunchException("cannot start " + helper + ": " + e.getMessage());
        } finally {
            NativeFd.close(report[1]);
        }
        String answer;
        try {
            answer = ContainerLauncher.readLine(report[0], REPORT_TIMEOUT_MS);
        } finally {
            NativeFd.close(report[0]);
        }
        if (!answer.startsWith("PID ")) Processes.kill(helperPid); // it timed out: nobody else will end it
        Processes.waitFor(helperPid);
        if (answer.startsWith("PID ")) {
            try {
                return Integer.parseInt(answer.substring(4).trim());
            } catch (NumberFormatException e) {
                // fall through: not our helper's answer
            }
        }
        throw new ContainerLauncher.LaunchException("cannot create the container's user namespace: "
                + (answer.startsWith("ERROR ") ? answer.substring(6) : "jail-userns said '" + answer + "'"));
    }

    @Override
    public boolean rootless() {
        return true;
    }
}

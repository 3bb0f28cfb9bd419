package jail.cli.jaild;

import jail.cgroup.ByteSize;
import jail.cgroup.CgroupDelegation;
import jail.cgroup.CgroupException;
import jail.cgroup.CgroupLayout;
import jail.cgroup.CgroupLimits;
import jail.namespace.account.PasswdEntry;
import jail.namespace.account.PasswdFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code jaild delegate USER [--memory SIZE] [--pids N] [--cpus X]}: root lets a user give its rootless
 * containers cgroup limits, within a cap of root's (cgroup v1; on v2 systemd delegates). See
 * {@link CgroupDelegation} for what stays root's and why the user cannot raise the cap.
 */
@Command(name = "delegate", mixinStandardHelpOptions = true,
        description = {"Lets USER's rootless containers have cgroup limits (memory, pids, cpu), all of them",
                "together within the cap given here: makes /sys/fs/cgroup/CTRL/jail-user/UID (cgroup v1), writes",
                "the cap there and gives the directory, not its limit files, to USER. Root only. Gone at",
                "reboot: run it at boot (jail-delegate@USER.service)."})
public class DelegateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "USER", description = "Host user name or uid.")
    String user;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory of all the user's containers together (e.g. 2G).")
    String memory;

    @Option(names = "--pids", paramLabel = "N", description = "Processes and threads of all the user's containers together.")
    Integer pids;

    @Option(names = "--cpus", paramLabel = "X", description = "CPU time of all the user's containers together (e.g. 1.5).")
    Double cpus;

    @Option(names = "--revoke", description = "Remove the delegation (the user's containers with limits must be stopped).")
    boolean revoke;

    @Override
    public Integer call() {
        if (ContainerOwner.rootless()) throw new JaildException("only root delegates cgroups");
        PasswdEntry entry = account(user);
        CgroupLayout layout = CgroupLayout.detect();
        try {
            if (revoke) {
                List<Path> removed = CgroupDelegation.revoke(layout, entry.uid());
                System.out.println(removed.isEmpty() ? entry.name() + ": nothing was delegated"
                        : entry.name() + ": delegation removed (" + removed.size() + " directories)");
                return ExitCodes.OK;
            }
            CgroupLimits cap = cap();
            List<Path> granted = CgroupDelegation.grant(layout, entry.uid(), entry.gid(), cap);
            System.out.println(entry.name() + ": cgroups delegated, cap " + cap + " (" + granted.getFirst().getParent() + "/...)");
            return ExitCodes.OK;
        } catch (CgroupException | IllegalArgumentException e) {
            throw new JaildException(e.getMessage(), e);
        }
    }

    private CgroupLimits cap() {
        try {
            return new CgroupLimits(memory == null ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse(memory)),
                    pids == null ? OptionalInt.empty() : OptionalInt.of(pids),
                    cpus == null ? OptionalDouble.empty() : OptionalDouble.of(cpus));
        } catch (IllegalArgumentException e) {
            throw new JaildException(e.getMessage());
        }
    }

    private static PasswdEntry account(String user) {
        PasswdFile passwd = PasswdFile.read(Path.of("/etc/passwd"));
        var entry = user.matches("\\d+") ? passwd.byUid(Integer.parseInt(user)) : passwd.byName(user);
        PasswdEntry e = entry.orElseThrow(() -> new JaildException("no such user on this host: " + user));
        if (e.uid() == 0) throw new JaildException("root needs no delegation");
        return e;
    }
}

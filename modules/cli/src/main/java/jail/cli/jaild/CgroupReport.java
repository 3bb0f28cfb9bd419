package jail.cli.jaild;

import io.vertx.core.json.JsonObject;
import jail.cgroup.ByteSize;
import jail.cgroup.CgroupLimits;
import jail.cgroup.ContainerCgroup;
import jail.session.container.ContainerLauncher;

/** Adds a container's cgroup usage and limits to a status report, when it has a cgroup. */
final class CgroupReport {
    private CgroupReport() {}

    static void add(int uid, JsonObject report) {
        ContainerCgroup.find(ContainerLauncher.cgroupName(uid)).ifPresent(cg -> {
            JsonObject o = new JsonObject();
            ContainerCgroup.Usage usage = cg.usage();
            CgroupLimits limits = cg.limits();
            usage.memoryBytes().ifPresent(m -> o.put("memoryBytes", m).put("memory", ByteSize.format(m)));
            usage.pids().ifPresent(p -> o.put("pids", p));
            limits.memoryBytes().ifPresent(m -> o.put("memoryLimitBytes", m).put("memoryLimit", ByteSize.format(m)));
            limits.pids().ifPresent(p -> o.put("pidsLimit", p));
            limits.cpus().ifPresent(c -> o.put("cpuLimit", c));
            report.put("cgroup", o);
        });
    }
}

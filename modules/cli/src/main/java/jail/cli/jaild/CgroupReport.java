package jail.cli.jaild;

import io.vertx.core.json.JsonObject;

/** Adds a container's cgroup usage and limits to a status report, when it has a cgroup. */
final class CgroupReport {
    private CgroupReport() {}

    static void add(String name, JsonObject report) {
        // Filled in once the cgroup package lands (memory and pids usage, limits in force).
    }
}

package jail.cgroup;

/**
 * The cgroup controllers jail uses, by their kernel names. {@link #CPUACCT} limits nothing: it is the v1
 * hierarchy that counts CPU time (v2 counts it in every cgroup's {@code cpu.stat}), kept for per-session accounting.
 */
public enum Controller {
    MEMORY("memory"),
    PIDS("pids"),
    CPU("cpu"),
    CPUACCT("cpuacct");

    private final String kernelName;

    Controller(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name in /proc/self/mountinfo (v1 mount options) and in cgroup.controllers (v2). */
    public String kernelName() {
        return kernelName;
    }
}

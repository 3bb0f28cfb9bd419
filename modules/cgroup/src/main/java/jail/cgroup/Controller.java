package jail.cgroup;

/** The cgroup controllers jail uses, by their kernel names. */
public enum Controller {
    MEMORY("memory"),
    PIDS("pids"),
    CPU("cpu");

    private final String kernelName;

    Controller(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name in /proc/self/mountinfo (v1 mount options) and in cgroup.controllers (v2). */
    public String kernelName() {
        return kernelName;
    }
}

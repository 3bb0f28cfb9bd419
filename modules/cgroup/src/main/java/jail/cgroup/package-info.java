/**
 * Resource limits for a container through cgroups: memory, pids and cpu, on cgroup v1 or v2.
 *
 * <ul>
 *   <li>{@link jail.cgroup.CgroupLimits} says what to enforce ({@link jail.cgroup.ByteSize}
 *       reads sizes such as {@code 512M});</li>
 *   <li>{@link jail.cgroup.CgroupLayout} finds where each controller is mounted (a v1 hierarchy of
 *       its own, or the unified v2 hierarchy);</li>
 *   <li>{@link jail.cgroup.ContainerCgroup} is one container's cgroup, {@code jail/NAME} in every
 *       controller its limits need: create, attach a process, read usage, remove.</li>
 * </ul>
 *
 * <p>Everything is plain reads, writes, mkdir and rmdir on cgroupfs, with errors that name the file and the
 * errno ({@link jail.cgroup.CgroupException}); nothing is delegated to cgcreate or systemd.
 */
package jail.cgroup;

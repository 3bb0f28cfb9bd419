package jail.session.container;

/** How a container's init gets its namespaces: root's way ({@link HostNamespaces}) or a user's own ({@link UserNamespaceLauncher}). */
public sealed interface InitNamespaces permits HostNamespaces, UserNamespaceLauncher {

    /** Starts the init as PID 1 of the container's new namespaces; returns its pid in ours. */
    int spawn(InitProcess init) throws ContainerLauncher.LaunchException;

    /** Whether the container lives in a user namespace of an ordinary user (no cgroups of its own, no root). */
    boolean rootless();
}

package jail.cli.jaild;

import jail.namespace.jna.LibC;

/** jaild's own privilege check: containers need mount(2), pivot_root(2) and setresuid(2) as root. */
final class Privileges {
    private Privileges() {}

    static void requireRoot(String what) {
        if (LibC.INSTANCE.geteuid() != 0) {
            throw new JaildException(what + " requires root (run it as root, e.g. with sudo)");
        }
    }
}

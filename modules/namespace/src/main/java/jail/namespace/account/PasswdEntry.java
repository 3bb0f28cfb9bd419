package jail.namespace.account;

/** One line of an /etc/passwd: {@code name:password:uid:gid:gecos:home:shell}. */
public record PasswdEntry(String name, int uid, int gid, String gecos, String home, String shell) {
    /** The shell a session starts; like login(1), an empty field means /bin/sh. */
    public String loginShell() {
        return shell.isEmpty() ? "/bin/sh" : shell;
    }
}

package jail.cli.sshd;

/** One setting that lets a jail user act on the host, outside its container, and what it allows. */
public record Exposure(String setting, String consequence) {
    public String line(String user) {
        return user + ": " + setting + ": " + consequence;
    }
}

package jail.session.container;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

/**
 * What jaild records about a running container in the state directory, so that later jaild runs (list,
 * stop) find it again: one small properties file per uid, next to the socket.
 */
public record ContainerState(String name, int uid, int gid, Path root, int pid, Path socket, Path log, Instant started) {

    public String toProperties() {
        return "name=" + name + "\nuid=" + uid + "\ngid=" + gid + "\nroot=" + root + "\npid=" + pid + "\nsocket=" + socket
                + "\nlog=" + log + "\nstarted=" + started + "\n";
    }

    public static ContainerState read(Path file) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        try {
            return new ContainerState(p.getProperty("name", p.getProperty("uid")), Integer.parseInt(p.getProperty("uid")), Integer.parseInt(p.getProperty("gid")),
                    Path.of(p.getProperty("root")), Integer.parseInt(p.getProperty("pid")), Path.of(p.getProperty("socket")),
                    Path.of(p.getProperty("log")), Instant.parse(p.getProperty("started")));
        } catch (RuntimeException e) {
            throw new IOException(file + ": corrupt state file (" + e.getMessage() + ")");
        }
    }

    /**
     * True while the init recorded here still runs: the pid exists, is not a zombie, and its command line is
     * our init's for this uid (a recycled pid is not mistaken for it).
     */
    public boolean isAlive() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            if (state == 'Z' || state == 'X') return false;
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            return cmdline.startsWith(InitCommand.processTitle(uid, gid));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

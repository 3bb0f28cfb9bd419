package jail.cli.client;

import jail.pty.WindowSize;
import jail.session.client.DetachKey;
import jail.session.client.SessionClient;
import jail.session.container.StateDirectory;
import jail.session.init.SessionEnvironmentNames;
import jail.session.protocol.Hello;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jail}: the login shell of host users that live in a container. A plain main with no framework:
 * it runs on every su, ssh, scp, sftp and rsync, so it must start fast and print nothing of its own unless
 * something is wrong (a stray byte breaks scp and rsync).
 */
public final class JailMain {
    public static final int EXIT_USAGE = 2;

    private JailMain() {}

    public static void main(String[] args) {
        int status = run(args);
        if (session != null) session.exit(status); // skips the JVM's exit wait (ImmediateExit)
        // Nothing is left to run at exit (the terminal is restored by now): halt, not exit, spares every
        // login the JVM's exit sequence (System.exit alone initialises the logging back end to log itself).
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /** The session this process ran, if it got that far. */
    private static SessionClient session;

    static int run(String[] args) {
        JailArguments a;
        try {
            a = JailArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jail: " + e.getMessage() + " (see 'jail --help')");
            return EXIT_USAGE;
        }
        if (a.help()) {
            System.out.println(JailArguments.USAGE);
            return 0;
        }
        if (a.version()) {
            System.out.println("jail 1.0");
            return 0;
        }
        if (a.aotTraining()) {
            try {
                // A normal JVM exit, even with stdin open: the AOT cache is written by the JVM's exit sequence.
                int status = ClientAotTraining.run();
                session = null;
                return status;
            } catch (Exception e) {
                System.err.println("jail: AOT training failed: " + e);
                return 1;
            }
        }
        int realUid = Caller.realUid();
        if (a.uid() != null && realUid != 0 && a.uid() != realUid) {
            System.err.println("jail: only root may enter another user's container");
            return SessionClient.EXIT_REFUSED;
        }
        int uid = a.uid() != null ? a.uid() : realUid;
        Path socket = socketOf(uid, a.uid() == null);
        boolean terminal = Caller.stdinIsTerminal();
        DetachKey key;
        ClientCommand own;
        try {
            key = DetachKey.of(a.escape() != null ? a.escape() : System.getenv("JAIL_ESCAPE"));
            own = a.command() == null ? null : ClientCommand.parse(a.command());
        } catch (IllegalArgumentException e) {
            System.err.println("jail: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (own != null) return reporting(() -> own.run(socket, uidOf(socket), terminal, key));
        if (terminal && a.command() == null) {
            Integer latest = ReattachOffer.consider(socket, uidOf(socket));
            if (latest != null) return reporting(() -> ClientCommand.attach(socket, uidOf(socket), latest, key));
        }
        return enter(a, socket, terminal, key);
    }

    /** Something that talks to the container and ends with our exit status. */
    private interface Attempt {
        int run() throws Exception;
    }

    /** Runs {@code attempt}; a failure is one line on stderr and our exit status, never a stack trace. */
    private static int reporting(Attempt attempt) {
        try {
            return attempt.run();
        } catch (SessionClient.ConnectFailure e) {
            System.err.println("jail: " + e.getMessage());
            return SessionClient.EXIT_REFUSED;
        } catch (Exception e) {
            System.err.println("jail: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return SessionClient.EXIT_CONNECTION_LOST;
        }
    }

    /** Remembers the session this process runs, for its way out (see {@link #main}). */
    static void running(SessionClient client) {
        session = client;
    }

    /**
     * The container root started for the uid (/run/jail) comes first: that is the admin's choice. Else, for
     * the caller's own uid, its own rootless container ($XDG_RUNTIME_DIR/jail): the one where it is itself,
     * else the one where it is root inside (named 0 there: only the user's own containers are in that directory).
     */
    static Path socketOf(int uid, boolean own) {
        Path system = StateDirectory.fromSystem().socket(uid);
        if (!own || java.nio.file.Files.exists(system)) return system;
        StateDirectory mine = StateDirectory.forUser(uid, System.getenv());
        for (Path socket : List.of(mine.socket(uid), mine.socket(0))) {
            if (java.nio.file.Files.exists(socket)) return socket;
        }
        return system;
    }

    /** Connects to the container's socket and runs the session; returns our exit status. */
    static int enter(JailArguments a, Path socket, boolean terminal) {
        return enter(a, socket, terminal, DetachKey.OFF);
    }

    static int enter(JailArguments a, Path socket, boolean terminal, DetachKey key) {
        WindowSize size = terminal ? WindowSize.of(0) : null;
        if (size == null) size = WindowSize.DEFAULT;
        Map<String, String> env = System.getenv();
        List<String> passed = new ArrayList<>();
        env.forEach((k, v) -> {
            if (SessionEnvironmentNames.isPassed(k)) passed.add(k + "=" + v);
        });
        Hello hello = new Hello(Hello.versionFor(Hello.Mode.TERMINAL), terminal ? Hello.Mode.TERMINAL : Hello.Mode.PIPES, a.login(),
                size.rows(), size.cols(), a.command(), env.getOrDefault("TERM", ""), passed);
        return reporting(() -> {
            SessionClient client = SessionClient.connect(socket, uidOf(socket)).detachKey(key);
            session = client;
            // Root entering another user's container keeps its agent to itself: the session is that user's, and
            // so would be the socket (as sudo and su drop SSH_AUTH_SOCK).
            boolean ownContainer = a.uid() == null || a.uid() == Caller.realUid();
            return client.run(ownContainer ? client.offerAgent(hello, SessionClient.agentSocket(env)) : hello);
        });
    }

    /** The uid a socket belongs to, from its name (UID.sock), for messages. */
    static int uidOf(Path socket) {
        String name = socket.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(0, name.indexOf('.')));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}

package jail.cli.client;

import jail.session.client.DetachKey;
import jail.session.client.SessionClient;
import jail.session.protocol.Frame;
import jail.session.protocol.FrameType;
import jail.session.protocol.Hello;
import jail.pty.WindowSize;

import java.nio.file.Path;
import java.util.List;

/**
 * A command line that starts with the word {@code jail} is the client's own, not something to run inside: since
 * {@code jail} is the login shell, {@code ssh host jail sessions} and {@code su - u -c 'jail attach 3'} reach it
 * as {@code jail -c 'jail sessions'}. Inside the container there is no {@code jail} (the container's files are
 * its own), so these commands are typed from the host side, in a new login.
 *
 * @param verb    sessions, attach or kill
 * @param session the session id named, or null
 */
record ClientCommand(String verb, Integer session) {
    static final String USAGE = """
            jail sessions      list your sessions in this container (id, tty, started, idle, attached or not, command)
            jail attach [ID]   reattach session ID (default: the latest detached one); needs a terminal
            jail kill ID       end session ID (it is hung up)""";

    /** The client command in {@code command}, or null if it is something to run inside. */
    static ClientCommand parse(String command) {
        List<String> words = List.of(command.trim().split("\\s+"));
        if (!words.getFirst().equals("jail")) return null;
        String verb = words.size() > 1 ? words.get(1) : "help";
        int args = words.size() - 2;
        return switch (verb) {
            case "sessions", "ls" -> {
                if (args != 0) throw new IllegalArgumentException("jail sessions takes no arguments");
                yield new ClientCommand("sessions", null);
            }
            case "attach", "a" -> {
                if (args > 1) throw new IllegalArgumentException("usage: jail attach [ID]");
                yield new ClientCommand("attach", args == 1 ? id(words.get(2)) : null);
            }
            case "kill" -> {
                if (args != 1) throw new IllegalArgumentException("usage: jail kill ID");
                yield new ClientCommand("kill", id(words.get(2)));
            }
            case "help", "--help", "-h" -> new ClientCommand("help", null);
            default -> throw new IllegalArgumentException("unknown command 'jail " + verb + "'; there are:\n" + USAGE);
        };
    }

    private static int id(String word) {
        if (!word.matches("[1-9][0-9]{0,8}")) throw new IllegalArgumentException("'" + word + "' is not a session id (see jail sessions)");
        return Integer.parseInt(word);
    }

    /** Runs the command against the container behind {@code socket}; returns our exit status. */
    int run(Path socket, int uid, boolean terminal, DetachKey key) throws Exception {
        switch (verb) {
            case "help" -> {
                System.out.println(USAGE);
                return 0;
            }
            case "sessions" -> {
                Frame answer = request(socket, uid, Hello.control(Hello.Mode.LIST, null, 0, 0, ""), FrameType.SESSIONS);
                System.out.print(SessionListing.parse(answer.text()).table());
                return 0;
            }
            case "kill" -> {
                request(socket, uid, Hello.control(Hello.Mode.KILL, session, 0, 0, ""), FrameType.EXIT);
                return 0;
            }
            default -> {
                if (!terminal) {
                    System.err.println("jail: jail attach needs a terminal (ssh -t, or a terminal on stdin)");
                    return SessionClient.EXIT_REFUSED;
                }
                return attach(socket, uid, session, key);
            }
        }
    }

    /** Reattaches {@code id} (null: the latest detached) at this terminal's size. */
    static int attach(Path socket, int uid, Integer id, DetachKey key) throws Exception {
        WindowSize size = WindowSize.of(0);
        if (size == null) size = WindowSize.DEFAULT;
        SessionClient client = SessionClient.connect(socket, uid).detachKey(key);
        JailMain.running(client);
        return client.run(Hello.control(Hello.Mode.ATTACH, id, size.rows(), size.cols(), System.getenv().getOrDefault("TERM", "")));
    }

    /** One request with one answer; an init that predates detached sessions is said so in one line. */
    static Frame request(Path socket, int uid, Hello hello, FrameType answer) throws Exception {
        try {
            return SessionClient.connect(socket, uid).request(hello, answer);
        } catch (SessionClient.ConnectFailure e) {
            if (e.getMessage().startsWith("protocol version")) {
                throw new SessionClient.ConnectFailure("this container's init is older than this jail and keeps no"
                        + " detached sessions (restart the container): " + e.getMessage());
            }
            throw e;
        }
    }
}

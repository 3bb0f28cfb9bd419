package jail.cli.client;

/**
 * jail's command line, as callers of a login shell build it (see docs/architecture.md):
 * {@code jail}, {@code jail -l}, {@code jail -c CMD}, plus {@code --uid UID} for root to pick a container.
 * The java launcher cannot see argv[0], so a leading "-" (login) is not visible to us: a session without a
 * command is a login shell, a session with one runs {@code $SHELL -c CMD} as sshd does.
 */
record JailArguments(String command, boolean login, Integer uid, boolean help, boolean version, boolean aotTraining,
                     String escape) {

    static final String USAGE = """
            Usage: jail [-l] [-c COMMAND] [-e CHAR|none] [--uid UID]
            Login shell that enters the container of the caller's uid (started by jaild).
              -c COMMAND   run COMMAND with the container user's shell ($SHELL -c COMMAND)
              -l, --login  start a login shell (the default without -c)
              -e CHAR      escape character of the detach key (default ~; 'none': no detach key;
                           also JAIL_ESCAPE)
              --uid UID    (root only) enter the container of UID
              -h, --help   show this help
              --version    show the version
            With a terminal on stdin the session gets a pty; otherwise stdin, stdout and stderr
            are relayed as three separate streams. The exit status is the remote command's.

            Detach: type Enter ~ d (the escape character at the start of a line, then d). The
            session goes on without you; so does one whose connection drops, for the container's
            grace time (jaild --detach-grace, default 1h). ~~ sends one ~. A COMMAND that starts
            with the word jail is this client's own (ssh host jail sessions):
            """ + ClientCommand.USAGE + """

            A login that finds detached sessions offers to reattach the latest. jail is not
            installed inside the container: use these from a new login.""";

    static JailArguments parse(String[] args) {
        String command = null;
        boolean login = false;
        Integer uid = null;
        String escape = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-c" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("option -c needs a COMMAND");
                    command = args[++i];
                    if (i + 1 < args.length) {
                        throw new IllegalArgumentException("unexpected argument after -c COMMAND: " + args[i + 1]);
                    }
                }
                case "-l", "--login" -> login = true;
                case "-e" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("option -e needs a CHAR or 'none'");
                    escape = args[++i];
                }
                case "-i" -> { } // interactive is decided by the terminal, as for any shell
                case "--uid" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("option --uid needs a UID");
                    try {
                        uid = Integer.parseInt(args[++i]);
                        if (uid < 0) throw new NumberFormatException();
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + args[i] + "' is not a valid uid");
                    }
                }
                case "--aot-training" -> { // build-time only: see ClientAotTraining
                    return new JailArguments(null, false, null, false, false, true, null);
                }
                case "-h", "--help" -> {
                    return new JailArguments(null, false, null, true, false, false, null);
                }
                case "--version" -> {
                    return new JailArguments(null, false, null, false, true, false, null);
                }
                default -> throw new IllegalArgumentException(a.startsWith("-") ? "unknown option " + a
                        : "unexpected argument " + a);
            }
        }
        return new JailArguments(command, login || command == null, uid, false, false, false, escape);
    }
}

package jail.cli.jaild;

/** jaild's exit statuses, listed in --help. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** The request was understood but could not be done (not root, bad ROOTDIR, unknown uid, already running...). */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
}

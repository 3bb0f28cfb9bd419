package jail.cli.jaild;

/** A failure to report to the user as one line, "jaild: message", with exit status {@link ExitCodes#FAILED}. */
public class JaildException extends RuntimeException {
    public JaildException(String message) {
        super(message);
    }
}

package jail.cli.sshd;

/** sshd could not be asked (not installed, a configuration it rejects, an unknown user): one line for the user. */
public class SshdException extends RuntimeException {
    public SshdException(String message) {
        super(message);
    }
}

package jail.namespace.account;

/** An account file that cannot be read, or a line in it that is not valid; the message names file and line. */
public class AccountFileException extends RuntimeException {
    public AccountFileException(String message) {
        super(message);
    }
}

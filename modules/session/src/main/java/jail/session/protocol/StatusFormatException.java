package jail.session.protocol;

/** A STATUS answer this side cannot read: another version of the document, or not a document at all. */
public class StatusFormatException extends ProtocolException {
    public StatusFormatException(String message) {
        super(message);
    }
}

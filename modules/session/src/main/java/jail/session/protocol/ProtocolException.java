package jail.session.protocol;

/** The peer broke the protocol: the connection gets an ERROR frame and is closed; nothing else is affected. */
public class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }
}

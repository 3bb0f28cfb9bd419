package jail.cli.jaild;

/** A failure to report to the user as one line, "jaild: message", with exit status {@link ExitCodes#FAILED}. */
public class JaildException extends RuntimeException {
    public JaildException(String message) {
        super(message);
    }

    public JaildException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An I/O failure with the file it was about: "/srv/x: no such file or directory". */
    public static String describe(java.io.IOException e) {
        String file = e instanceof java.nio.file.FileSystemException f ? f.getFile() : null;
        String what = reason(e);
        return file != null && !what.startsWith(file) ? file + ": " + what : what;
    }

    /**
     * What an I/O failure was, in words, for a message that names the file itself: the JDK's file exceptions
     * carry only the path as their message ("/srv/x"), which as a reason says nothing.
     */
    public static String reason(java.io.IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file or directory";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NotDirectoryException n -> "not a directory";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}

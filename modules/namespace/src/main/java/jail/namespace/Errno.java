package jail.namespace;

import java.util.Map;

/** strerror(3) for the errno values jail reports; the text matches glibc's. */
public final class Errno {
    private Errno() {}

    private static final Map<Integer, String> TEXT = Map.ofEntries(
            Map.entry(1, "Operation not permitted"),
            Map.entry(2, "No such file or directory"),
            Map.entry(3, "No such process"),
            Map.entry(4, "Interrupted system call"),
            Map.entry(5, "Input/output error"),
            Map.entry(9, "Bad file descriptor"),
            Map.entry(10, "No child processes"),
            Map.entry(11, "Resource temporarily unavailable"),
            Map.entry(12, "Cannot allocate memory"),
            Map.entry(13, "Permission denied"),
            Map.entry(16, "Device or resource busy"),
            Map.entry(17, "File exists"),
            Map.entry(20, "Not a directory"),
            Map.entry(21, "Is a directory"),
            Map.entry(22, "Invalid argument"),
            Map.entry(24, "Too many open files"),
            Map.entry(28, "No space left on device"),
            Map.entry(30, "Read-only file system"),
            Map.entry(32, "Broken pipe"),
            Map.entry(36, "File name too long"),
            Map.entry(38, "Function not implemented"),
            Map.entry(40, "Too many levels of symbolic links"),
            Map.entry(104, "Connection reset by peer"),
            Map.entry(111, "Connection refused"));

    public static String describe(int errno) {
        return TEXT.getOrDefault(errno, "error " + errno);
    }
}

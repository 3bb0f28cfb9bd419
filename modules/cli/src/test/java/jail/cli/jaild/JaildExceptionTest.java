package jail.cli.jaild;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JaildExceptionTest {
    @Test
    void fileFailuresSayWhatHappenedNotOnlyWhere() {
        assertEquals("no such file or directory", JaildException.reason(new NoSuchFileException("/srv/x")));
        assertEquals("/srv/x: no such file or directory", JaildException.describe(new NoSuchFileException("/srv/x")));
        assertEquals("/srv/x: permission denied", JaildException.describe(new AccessDeniedException("/srv/x")));
        assertEquals("/srv/x: Read-only file system", JaildException.describe(new FileSystemException("/srv/x", null, "Read-only file system")));
        assertEquals("disk on fire", JaildException.describe(new IOException("disk on fire")));
        assertEquals("IOException", JaildException.describe(new IOException()));
    }
}

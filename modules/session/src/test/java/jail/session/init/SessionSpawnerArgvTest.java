package jail.session.init;

import jail.session.protocol.Hello;
import jail.session.protocol.Protocol;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionSpawnerArgvTest {

    private static Hello hello(boolean login, String command) {
        return new Hello(Protocol.VERSION, Hello.Mode.PIPES, login, 0, 0, command, "", List.of());
    }

    @Test
    void loginShellIsDashBasename() {
        assertEquals(List.of("-bash"), SessionSpawner.argv("/bin/bash", hello(true, null)));
        assertEquals(List.of("-zsh"), SessionSpawner.argv("/usr/local/bin/zsh", hello(true, null)));
    }

    @Test
    void nonLoginShellIsBasename() {
        assertEquals(List.of("bash"), SessionSpawner.argv("/bin/bash", hello(false, null)));
    }

    @Test
    void commandRunsWithDashC() {
        assertEquals(List.of("bash", "-c", "ls -l /tmp; echo done"),
                SessionSpawner.argv("/bin/bash", hello(false, "ls -l /tmp; echo done")));
    }

    @Test
    void loginShellWithCommand() {
        assertEquals(List.of("-bash", "-c", "id"), SessionSpawner.argv("/bin/bash", hello(true, "id")));
    }

    @Test
    void emptyCommandIsStillACommand() {
        assertEquals(List.of("sh", "-c", ""), SessionSpawner.argv("/bin/sh", hello(false, "")));
    }

    @Test
    void commandIsOneArgumentVerbatim() {
        String cmd = "printf '%s\\n' \"$HOME\" 'a  b' && exit 3";
        assertEquals(List.of("bash", "-c", cmd), SessionSpawner.argv("/bin/bash", hello(false, cmd)));
    }

    @Test
    void shellWithoutDirectory() {
        assertEquals(List.of("-sh"), SessionSpawner.argv("sh", hello(true, null)));
    }
}

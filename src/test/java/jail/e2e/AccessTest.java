package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The socket is a locked door: the init decides from SO_PEERCRED who may enter, refuses everyone else with a
 * clear message, logs it, and keeps serving. Garbage on the socket ends only that connection.
 */
@RequiresRoot
class AccessTest {
    static TestContainer box;
    static final String OTHER = "jt-other";

    /** A raw client run as any user: sends the given hex bytes, prints what comes back as hex. */
    static final String RAW_CLIENT = """
            import socket, sys, binascii
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.sendall(binascii.unhexlify(sys.argv[2]))
            s.settimeout(15)
            data = b''
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            print(binascii.hexlify(data).decode())
            """;

    @BeforeAll
    static void start() {
        box = TestContainer.busybox("jt-access", 62031).start();
        Cmd.run("userdel", OTHER);
        Cmd.ok("useradd", "-M", "-N", "-d", "/tmp", "-u", "62032", "-s", Cmd.JAIL, "-K", "UID_MAX=70000", OTHER);
    }

    @AfterAll
    static void stop() {
        Cmd.run("userdel", OTHER);
        if (box != null) box.close();
    }

    static String hello() {
        // HELLO, version 1, pipes mode, no login, 0x0, command "id", empty TERM, no env
        String payload = "4a41494c" + "0001" + "01" + "00" + "0000" + "0000" + "01" + "00000002" + "6964" + "00000000" + "0000";
        return "01" + String.format("%08x", payload.length() / 2) + payload;
    }

    static Cmd.Result raw(String user, String hex) {
        return Cmd.run("runuser", "-u", user, "--", "python3", "-c", RAW_CLIENT, "/run/jail/62031.sock", hex);
    }

    @Test
    void anotherHostUserIsRefusedByTheInit() throws Exception {
        Cmd.Result r = raw(OTHER, hello());
        assertEquals(0, r.exit(), r::toString);
        String reply = r.stdout().trim();
        assertTrue(reply.startsWith("0a"), "an ERROR frame: " + reply);
        String message = new String(java.util.HexFormat.of().parseHex(reply.substring(12)));
        assertEquals("permission denied: uid 62032 may not enter the container of uid 62031", message);
        assertTrue(Files.readString(Path.of("/var/log/jail/62031.log")).contains("refused connection from uid 62032"),
                "the refusal is logged");
        assertEquals("62031\n", box.su("id -u").stdout(), "the init keeps serving");
    }

    @Test
    void theContainersOwnUserGetsInThroughTheRawSocket() {
        Cmd.Result r = raw(box.hostUser, hello());
        String reply = r.stdout().trim();
        assertTrue(reply.startsWith("020000000200"), "WELCOME first: " + reply);
        assertTrue(reply.contains(java.util.HexFormat.of().formatHex("uid=62031(work)".getBytes())), reply);
        assertTrue(reply.endsWith("0900000002" + "0000"), "EXIT 0 last: " + reply);
    }

    @Test
    void theClientRefusesToPickAnotherUsersContainer() {
        Cmd.Result r = Cmd.run("runuser", "-u", OTHER, "--", Cmd.JAIL, "--uid", "62031", "-c", "id");
        assertEquals(1, r.exit());
        assertEquals("jail: only root may enter another user's container\n", r.stderr());
    }

    @Test
    void garbageOnTheSocketEndsOnlyThatConnection() {
        Cmd.Result r = raw(box.hostUser, "ff00000000deadbeef");
        String reply = r.stdout().trim();
        assertTrue(reply.startsWith("0a"), "an ERROR frame: " + reply);
        assertTrue(new String(java.util.HexFormat.of().parseHex(reply.substring(12))).startsWith("unknown frame type 0xff"));

        Cmd.Result big = raw(box.hostUser, "01" + "7fffffff");
        assertTrue(new String(java.util.HexFormat.of().parseHex(big.stdout().trim().substring(12))).contains("exceeds the limit"));

        Cmd.Result version = raw(box.hostUser, hello().replace("4a41494c0001", "4a41494c0063"));
        assertTrue(new String(java.util.HexFormat.of().parseHex(version.stdout().trim().substring(12)))
                .startsWith("protocol version 99 not supported"));

        assertEquals("62031\n", box.su("id -u").stdout(), "the init keeps serving everyone else");
    }
}

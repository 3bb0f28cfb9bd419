package jail.namespace.unix;

import jail.namespace.NativeFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FreshDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshDirectoryIsARealDirectoryOfOursModeOwnerOnly() throws Exception {
        FreshDirectory d = FreshDirectory.create(tmp.toString(), "ssh-");
        Path made = Path.of(d.path());
        assertTrue(made.getFileName().toString().matches("ssh-[A-Za-z0-9]{10}"), made.toString());
        assertTrue(Files.isDirectory(made, LinkOption.NOFOLLOW_LINKS));
        assertEquals(040700, Files.getAttribute(made, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        d.remove();
        assertFalse(Files.exists(made, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void namesAreNeverReusedAndPlantedNamesAreLeftAlone() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        for (int i = 0; i < 20; i++) Files.createSymbolicLink(tmp.resolve("ssh-planted" + i), target);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            FreshDirectory d = FreshDirectory.create(tmp.toString(), "ssh-");
            assertTrue(names.add(d.path()));
            assertTrue(Files.isDirectory(Path.of(d.path()), LinkOption.NOFOLLOW_LINKS));
            d.remove();
        }
        try (var list = Files.list(target)) {
            assertEquals(0, list.count(), "nothing was made through a planted link");
        }
    }

    @Test
    void aSocketIsBoundInsideThroughTheDirectorysFd() throws Exception {
        FreshDirectory d = FreshDirectory.create(tmp.toString(), "ssh-");
        // On a thread with its own working directory and umask, as the init's spawner threads have: bindIn moves them.
        UnixListener l = jail.namespace.ThrowawayThread.run("bind", () -> {
            jail.namespace.Namespaces.unshare(jail.namespace.jna.Constants.CLONE_FS);
            return UnixListener.bindIn(d.fd(), "agent.1", 0600, 4, "/");
        });
        Path sock = Path.of(d.path(), "agent.1");
        assertEquals(0140600, Files.getAttribute(sock, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals(-1, l.accept(), "nobody waiting");
        int client = jail.namespace.io.UnixSocket.connect(sock.toString());
        int accepted = l.accept();
        assertTrue(accepted >= 0);
        NativeFd.close(accepted);
        NativeFd.close(client);
        l.close();
        d.remove("agent.1");
        assertFalse(Files.exists(sock.getParent(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void removalGoesThroughTheFdNeverThroughALinkPlantedAtTheName() throws Exception {
        // The owner moved the directory away and put a link to another directory at its name.
        Path guarded = Files.createDirectory(tmp.resolve("guarded"));
        Files.writeString(guarded.resolve("agent.1"), "keep");
        FreshDirectory d = FreshDirectory.create(tmp.toString(), "ssh-");
        Path made = Path.of(d.path());
        Files.writeString(made.resolve("agent.1"), "ours");
        Path moved = tmp.resolve("moved");
        Files.move(made, moved);
        Files.createSymbolicLink(made, guarded);
        d.remove("agent.1");
        assertEquals("keep", Files.readString(guarded.resolve("agent.1")));
        assertTrue(Files.isSymbolicLink(made), "the link at the old name stays");
        assertFalse(Files.exists(moved.resolve("agent.1")), "the entry goes from the directory we made");
        assertTrue(Files.isDirectory(moved), "a renamed directory is left to its owner");
    }
}

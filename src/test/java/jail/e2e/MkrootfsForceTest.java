package jail.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jail-mkrootfs --force} over a root filesystem a container used: links planted at every path the
 * script writes (files and directories) must not make root write, chmod or chown through them. The link
 * targets are host files and directories this test made; they stay as they were.
 */
@RequiresRoot
class MkrootfsForceTest {
    static final Path DIR = TestContainer.WORK.resolve("jwl-mkrootfs");
    static final List<String> FILES = List.of("etc/passwd", "etc/group", "etc/shadow", "etc/issue", "etc/profile",
            "etc/hostname", "etc/hosts", "bin/busybox", "bin/sh", "home/work/busybox.txt", "home/work/debian.txt");
    static final List<String> DIRECTORIES = List.of("home/work", "tmp", "var/tmp", "proc", "dev", "root");

    @BeforeAll
    static void clean() throws Exception {
        TestContainer.freshDir(DIR);
    }

    @AfterAll
    static void cleanUp() {
        Cmd.run("rm", "-rf", DIR.toString());
    }

    static boolean debianCached() throws Exception {
        Path cache = Path.of("/var/cache/jail");
        if (!Files.isDirectory(cache)) return false;
        try (var s = Files.list(cache)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("debian-.*\\.tar"));
        }
    }

    /** A host file or directory that the planted link points at: root's, private, with known content. */
    static Path target(Path targets, String name, boolean directory) throws Exception {
        Path t = targets.resolve(name.replace('/', '_'));
        if (directory) Files.createDirectory(t);
        else Files.writeString(t, "precious " + name + "\n");
        Cmd.ok("chmod", directory ? "700" : "600", t.toString());
        return t;
    }

    static String describe(Path p) throws Exception {
        String d = Cmd.ok("stat", "-c", "%F %a %u:%g %s", p.toString()).trim();
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                return d + " " + s.map(x -> x.getFileName().toString()).sorted().toList();
            }
        }
        return d + " " + Files.readString(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "debian"})
    void forceNeverWritesThroughAPlantedLink(String kind) throws Exception {
        if (kind.equals("debian")) assumeTrue(debianCached(), "no cached Debian rootfs in /var/cache/jail");
        for (boolean directories : new boolean[]{false, true}) {
            Path root = DIR.resolve(kind + (directories ? "-dirs" : "-files"));
            Path targets = DIR.resolve(kind + (directories ? "-dir-targets" : "-file-targets"));
            Files.createDirectories(targets);
            Cmd.ok(Cmd.MKROOTFS, kind, root.toString(), "--user", "work", "--uid", "67030");
            List<Path> planted = new ArrayList<>();
            for (String path : directories ? DIRECTORIES : FILES) {
                Path link = root.resolve(path);
                Cmd.ok("rm", "-rf", link.toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, target(targets, path, directories));
                planted.add(link);
            }
            List<String> before = new ArrayList<>();
            for (Path link : planted) before.add(describe(Files.readSymbolicLink(link)));

            Cmd.Result r = Cmd.run(Cmd.MKROOTFS, kind, root.toString(), "--user", "work", "--uid", "67030", "--force");
            assertEquals(0, r.exit(), r::toString);

            for (int i = 0; i < planted.size(); i++) {
                Path t = targets.resolve((directories ? DIRECTORIES : FILES).get(i).replace('/', '_'));
                assertEquals(before.get(i), describe(t), "written through the link " + planted.get(i));
            }
            assertTrue(Files.isRegularFile(root.resolve("etc/passwd"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.readString(root.resolve("etc/passwd")).contains("work:x:67030:67030:"));
            assertTrue(Files.isDirectory(root.resolve("home/work"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }
}

package jail.cli.jaild;

import jail.namespace.account.AccountFileException;
import jail.namespace.account.PasswdEntry;
import jail.namespace.account.PasswdFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A container's root filesystem as jaild checks it before a start: it exists and is a directory (not the
 * host's /), its etc is no link, its user has an entry in its passwd, and its "/" is searchable by that user.
 * Every start goes through these ({@link ContainerControl#start}).
 */
final class RootFilesystem {
    private RootFilesystem() {}

    /** The real path of ROOTDIR, checked. */
    static Path check(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) throw new JaildException("ROOTDIR " + abs + " does not exist");
        if (!Files.isDirectory(abs)) throw new JaildException("ROOTDIR " + abs + " is not a directory");
        Path real;
        try {
            real = abs.toRealPath();
        } catch (IOException e) {
            throw new JaildException("ROOTDIR " + abs + ": " + JaildException.reason(e), e);
        }
        if (real.getNameCount() == 0) throw new JaildException("ROOTDIR must not be the host's root directory");
        if (Files.isSymbolicLink(real.resolve("etc"))) {
            throw new JaildException("ROOTDIR " + real + ": etc is a symbolic link, refusing to read accounts through it");
        }
        return real;
    }

    /** The container's "/" must be searchable by its user, or every session fails in obscure ways. */
    static void requireSearchable(Path root, int uid) throws IOException {
        var attrs = Files.readAttributes(root, java.nio.file.attribute.PosixFileAttributes.class);
        int owner = (Integer) Files.getAttribute(root, "unix:uid");
        var perms = attrs.permissions();
        boolean searchable = perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)
                || owner == uid && perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        if (!searchable) {
            throw new JaildException("ROOTDIR " + root + " is not searchable by uid " + uid + " (mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); chmod o+x it");
        }
    }

    static PasswdEntry account(Path root, int uid) {
        Path passwd = root.resolve("etc/passwd");
        try {
            return PasswdFile.read(passwd).byUid(uid)
                    .orElseThrow(() -> new JaildException("uid " + uid + " has no entry in " + passwd));
        } catch (AccountFileException e) {
            throw new JaildException(e.getMessage());
        }
    }
}

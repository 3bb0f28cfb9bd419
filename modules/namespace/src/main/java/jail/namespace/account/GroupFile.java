package jail.namespace.account;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A container's /etc/group, parsed like {@link PasswdFile}. */
public final class GroupFile {
    private final List<GroupEntry> entries;

    private GroupFile(List<GroupEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static GroupFile read(Path file) {
        return parse(AccountFiles.readText(file), file.toString());
    }

    public static GroupFile parse(String text, String source) {
        List<GroupEntry> entries = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (AccountFiles.skip(line)) continue;
            String[] f = line.split(":", -1);
            if (f.length != 4) {
                throw new AccountFileException(source + ":" + lineNo + ": expected 4 fields, found " + f.length);
            }
            List<String> members = f[3].isEmpty() ? List.of()
                    : Arrays.stream(f[3].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            entries.add(new GroupEntry(f[0], AccountFiles.id(f[2], source, lineNo), members));
        }
        return new GroupFile(entries);
    }

    public Optional<GroupEntry> byGid(int gid) {
        return entries.stream().filter(e -> e.gid() == gid).findFirst();
    }

    /** initgroups(3): the primary gid first, then every group listing the user as a member, no duplicates. */
    public int[] groupsOf(String user, int primaryGid) {
        Set<Integer> gids = new LinkedHashSet<>();
        gids.add(primaryGid);
        for (GroupEntry e : entries) {
            if (e.members().contains(user)) gids.add(e.gid());
        }
        return gids.stream().mapToInt(Integer::intValue).toArray();
    }

    public List<GroupEntry> entries() {
        return entries;
    }
}

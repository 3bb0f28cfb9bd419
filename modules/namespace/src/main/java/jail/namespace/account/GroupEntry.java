package jail.namespace.account;

import java.util.List;

/** One line of an /etc/group: {@code name:password:gid:member,member}. */
public record GroupEntry(String name, int gid, List<String> members) {
    public GroupEntry {
        members = List.copyOf(members);
    }
}

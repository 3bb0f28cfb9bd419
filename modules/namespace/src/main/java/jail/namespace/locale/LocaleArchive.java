package jail.namespace.locale;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.NativeFd;
import jail.namespace.jna.LibC;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static jail.namespace.jna.Constants.*;

/**
 * The names of the locales compiled into a glibc locale-archive ({@code /usr/lib/locale/locale-archive}, what
 * locale-gen and localedef write), read from its name hash table only (glibc's locarchive.h: a header of
 * 32-bit words, a table of {@code {hashval, name_offset, locrec_offset}} entries, the names in a string area). Opened without following a
 * link and non-blocking, so a FIFO put in its place gives an empty read rather than a hang; anything that is
 * not a sane archive reads as "unknown" ({@link Optional#empty()}).
 */
public final class LocaleArchive {
    private static final int MAGIC = 0xde020109;
    private static final int HEADER = 14 * 4;
    /** Far above any real archive (Debian's locales-all has about 500 names): bounds what a bad file costs. */
    private static final int MAX_ENTRIES = 1 << 16, MAX_STRINGS = 1 << 20;

    private LocaleArchive() {}

    /** The archive's locale names; empty when it cannot be opened or is not a sane archive. */
    public static Optional<Set<String>> names(String path) {
        int fd;
        try {
            fd = NativeFd.open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        try {
            return parse((offset, len) -> read(fd, offset, len));
        } finally {
            NativeFd.close(fd);
        }
    }

    /** Reads exactly len bytes at offset, or null when the file is shorter. */
    private interface Source {
        ByteBuffer read(long offset, int len);
    }

    private static Optional<Set<String>> parse(Source file) {
        ByteBuffer header = file.read(0, HEADER);
        if (header == null || header.getInt(0) != MAGIC) return Optional.empty();
        long hashOffset = Integer.toUnsignedLong(header.getInt(8));
        int hashSize = header.getInt(16);
        if (hashSize < 0 || hashSize > MAX_ENTRIES) return Optional.empty();
        long stringOffset = Integer.toUnsignedLong(header.getInt(20));
        int stringUsed = header.getInt(24);
        if (stringUsed < 0 || stringUsed > MAX_STRINGS) return Optional.empty();
        ByteBuffer table = file.read(hashOffset, hashSize * 12);
        ByteBuffer strings = file.read(stringOffset, stringUsed);
        if (table == null || strings == null) return Optional.empty();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < hashSize; i++) {
            long at = Integer.toUnsignedLong(table.getInt(i * 12 + 4)) - stringOffset;
            if (table.getInt(i * 12 + 8) == 0) continue; // a free slot
            if (at < 0 || at >= stringUsed) return Optional.empty();
            int end = (int) at;
            while (end < stringUsed && strings.get(end) != 0) end++;
            byte[] name = new byte[end - (int) at];
            strings.get((int) at, name);
            names.add(new String(name, StandardCharsets.ISO_8859_1));
        }
        return Optional.of(names);
    }

    /**
     * A minimal archive holding {@code names} (no locale data: only what {@link #names} reads), for tests and
     * for loading the parser's classes before a thread leaves the host's filesystem.
     */
    public static byte[] encode(List<String> names) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        int tableOffset = HEADER, stringOffset = HEADER + names.size() * 12;
        ByteBuffer out = ByteBuffer.allocate(stringOffset).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0, MAGIC).putInt(8, tableOffset).putInt(12, names.size()).putInt(16, names.size())
                .putInt(20, stringOffset);
        for (int i = 0; i < names.size(); i++) {
            out.putInt(tableOffset + i * 12, names.get(i).hashCode())
                    .putInt(tableOffset + i * 12 + 4, stringOffset + strings.size())
                    .putInt(tableOffset + i * 12 + 8, 1);
            strings.writeBytes(names.get(i).getBytes(StandardCharsets.ISO_8859_1));
            strings.write(0);
        }
        out.putInt(24, strings.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.array());
        all.writeBytes(strings.toByteArray());
        return all.toByteArray();
    }

    /** Runs the parser once over an in-memory archive, so that its classes are loaded. */
    public static void preload() {
        byte[] sample = encode(List.of("LibC.utf8"));
        parse((offset, len) -> offset + len > sample.length ? null
                : ByteBuffer.wrap(sample, (int) offset, len).slice().order(ByteOrder.LITTLE_ENDIAN));
        names("/jail-preload-absent");
    }

    /** Exactly {@code len} bytes at {@code offset}, little-endian as glibc writes them on x86_64; null if short. */
    private static ByteBuffer read(int fd, long offset, int len) {
        if (len == 0) return ByteBuffer.allocate(0);
        Memory buf = new Memory(len);
        long done = 0;
        try {
            while (done < len) {
                long n = LibC.pread(fd, buf.share(done), len - done, offset + done);
                if (n <= 0) return null;
                done += n;
            }
        } catch (LastErrorException e) {
            return null;
        }
        return buf.getByteBuffer(0, len).order(ByteOrder.LITTLE_ENDIAN);
    }
}

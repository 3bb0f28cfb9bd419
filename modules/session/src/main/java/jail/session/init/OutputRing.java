package jail.session.init;

/**
 * The recent output of a detached session: the last {@code capacity} bytes, older ones overwritten. It is what
 * a reattaching client sees first, and what keeps a detached session from ever blocking on a full pty (the
 * relay goes on reading) or costing more than its share of memory (see {@link #capacityFor}).
 */
final class OutputRing {
    /** Enough for a full screen of a wide terminal many times over, and for the tail of a build log. */
    static final int MOST = 64 * 1024;
    static final int LEAST = 4 * 1024;
    /** All detached sessions of one container together hold at most this (a per-session share of it). */
    static final long TOTAL = 8L << 20;

    private final byte[] ring;
    private int start;
    private int size;
    private long dropped;

    OutputRing(int capacity) {
        ring = new byte[capacity];
    }

    /** A session's share: at most 64 KiB, less when the container allows many sessions. */
    static int capacityFor(int maxSessions) {
        return (int) Math.clamp(TOTAL / Math.max(1, maxSessions), LEAST, MOST);
    }

    int capacity() {
        return ring.length;
    }

    int size() {
        return size;
    }

    /** Bytes overwritten before anyone read them. */
    long dropped() {
        return dropped;
    }

    void write(byte[] bytes, int off, int len) {
        if (len >= ring.length) { // only the tail fits
            dropped += size + (len - ring.length);
            System.arraycopy(bytes, off + len - ring.length, ring, 0, ring.length);
            start = 0;
            size = ring.length;
            return;
        }
        int overflow = size + len - ring.length;
        if (overflow > 0) {
            start = (start + overflow) % ring.length;
            size -= overflow;
            dropped += overflow;
        }
        int end = (start + size) % ring.length;
        int first = Math.min(len, ring.length - end);
        System.arraycopy(bytes, off, ring, end, first);
        System.arraycopy(bytes, off + first, ring, 0, len - first);
        size += len;
    }

    /** What it holds, oldest first; the ring is empty afterwards. */
    byte[] drain() {
        byte[] out = new byte[size];
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        start = 0;
        size = 0;
        return out;
    }
}

package jail.session.init;

import jail.session.protocol.Protocol;

/**
 * What one session may keep queued in the init, per direction, chosen so that max-sessions sessions that all
 * stall fit the init's memory. Output waiting for a client lives in Netty's direct-memory pool, in frames of
 * exactly {@link #FRAME} bytes, and all sessions together may hold {@link #OUTPUT_TOTAL}; input waiting for a
 * session lives on the heap, {@link #INPUT_TOTAL} in all. Each session gets an equal share, at most 1 MiB
 * (the old per-session bound: enough for full speed) and at least one frame (so above 512 sessions the
 * output total grows as N x 64 KiB; docs/security.md has the arithmetic).
 *
 * @param output bytes of frames a session may have waiting for its client: a whole number of frames
 * @param input  bytes of client data a session may have waiting before its client's socket is no longer read
 */
record RelayAllowance(long output, long input) {
    /** The size of every output frame buffer, header included: one of the pool's size classes, no rounding. */
    static final int FRAME = Protocol.DATA_CHUNK;
    static final long OUTPUT_TOTAL = 32L << 20;
    static final long INPUT_TOTAL = 16L << 20;
    static final long MOST = 1L << 20;
    static final long LEAST_INPUT = 16L << 10;

    static RelayAllowance forSessions(int maxSessions) {
        long output = Math.clamp(OUTPUT_TOTAL / maxSessions, FRAME, MOST) / FRAME * FRAME;
        long input = Math.clamp(INPUT_TOTAL / maxSessions, LEAST_INPUT, MOST);
        return new RelayAllowance(output, input);
    }

    /** Input is read again once what waits falls below this. */
    long inputResume() {
        return input / 4;
    }
}

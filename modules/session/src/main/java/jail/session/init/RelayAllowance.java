package jail.session.init;

/**
 * What one session may keep queued in the init: client data waiting for the session's stdin, on the heap,
 * {@link #INPUT_TOTAL} in all, chosen so that max-sessions sessions that all stall fit the init's memory. Each
 * session gets an equal share, between 16 KiB and 1 MiB (enough for full speed). Output needs no allowance:
 * it waits in the session's own pipe or pty until the client's socket takes it (at most one frame is open,
 * see {@link FrameWriter}).
 *
 * @param input bytes of client data a session may have waiting before its client's socket is no longer read
 */
record RelayAllowance(long input) {
    static final long INPUT_TOTAL = 16L << 20;
    static final long MOST = 1L << 20;
    static final long LEAST_INPUT = 16L << 10;

    static RelayAllowance forSessions(int maxSessions) {
        return new RelayAllowance(Math.clamp(INPUT_TOTAL / maxSessions, LEAST_INPUT, MOST));
    }

    /** Input is read again once what waits falls below this. */
    long inputResume() {
        return input / 4;
    }
}

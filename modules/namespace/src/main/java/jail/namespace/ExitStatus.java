package jail.namespace;

/** A decoded wait(2) status: exited with a code, or killed by a signal. */
public record ExitStatus(boolean signaled, int value) {
    public static ExitStatus fromWaitStatus(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? new ExitStatus(false, (status >> 8) & 0xff) : new ExitStatus(true, signal);
    }

    public static ExitStatus exited(int code) {
        return new ExitStatus(false, code);
    }

    public static ExitStatus killed(int signal) {
        return new ExitStatus(true, signal);
    }

    /** The status a shell reports for it: the code, or 128 + the signal number, as bash does. */
    public int shellCode() {
        return signaled ? 128 + value : value;
    }

    @Override
    public String toString() {
        return signaled ? "killed by signal " + value : "exit " + value;
    }
}

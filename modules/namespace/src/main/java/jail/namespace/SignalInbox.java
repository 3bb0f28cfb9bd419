package jail.namespace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jail.namespace.jna.LibC;

import static jail.namespace.jna.Constants.*;

/**
 * Signals read as data from a signalfd(2), on an ordinary thread: the way to receive signals the JVM would
 * otherwise keep for itself (SIGQUIT means "print a thread dump" to HotSpot). For it to work the signals must
 * be blocked in every thread of the process, which only the process's starter can arrange (the mask survives
 * exec: bin/jail runs java through {@code env --block-signal=...}, with -Xrs so the JVM leaves them alone).
 */
public final class SignalInbox implements AutoCloseable {
    private static final int SFD_CLOEXEC = O_CLOEXEC;
    private static final int SIGINFO_SIZE = 128; // struct signalfd_siginfo

    private final int fd;
    private final Memory info = new Memory(SIGINFO_SIZE);

    private SignalInbox(int fd) {
        this.fd = fd;
    }

    public static SignalInbox open(int... signals) {
        try (Memory mask = new Memory(128)) {
            LibC.sigemptyset(mask);
            for (int s : signals) LibC.sigaddset(mask, s);
            return new SignalInbox(LibC.signalfd(-1, mask, SFD_CLOEXEC));
        } catch (LastErrorException e) {
            throw SyscallException.of("signalfd", null, e);
        }
    }

    /**
     * A signal and who sent it: {@code senderPid} is the sender's pid in the receiver's PID namespace, 0 when
     * the sender is outside it (the kernel cannot name it there), which is how an init tells the host's
     * signals from its container's.
     */
    public record Received(int signal, int senderPid) {
        public boolean fromOutsideOurPidNamespace() {
            return senderPid == 0;
        }
    }

    /** Blocks until one of the signals arrives and returns its number. */
    public int take() {
        return receive().signal();
    }

    /** Blocks until one of the signals arrives. */
    public Received receive() {
        while (true) {
            int n = NativeFd.read(fd, info, SIGINFO_SIZE);
            if (n == SIGINFO_SIZE) return new Received(info.getInt(0), info.getInt(12)); // ssi_signo, ssi_pid
            if (n < 0) throw new SyscallException("read", "signalfd", EBADF);
        }
    }

    @Override
    public void close() {
        NativeFd.close(fd);
    }
}

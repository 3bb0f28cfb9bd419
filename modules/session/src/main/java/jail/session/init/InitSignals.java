package jail.session.init;

import jail.namespace.SignalInbox;

import java.util.logging.Logger;

import static jail.namespace.jna.Constants.*;

/**
 * The signals PID 1 takes, and from whom. The kernel delivers a signal sent from inside a PID namespace to its
 * init only if the init handles it (or blocks it); SIGKILL and SIGSTOP from inside never arrive. The init
 * handles none of TERM, INT, HUP, QUIT itself: jaild starts it with them blocked and the JVM with -Xrs, and
 * this thread reads them from a signalfd with their sender. A signal from outside the container (jaild stop,
 * the supervisor, the host's root: the kernel reports the sender as pid 0) ends the container, QUIT
 * excepted; the same signal from a process inside (root in a uid-0 container) is logged and ignored.
 * The JVM's own handlers (SEGV, BUS, FPE, ILL) are kept from inside by the sessions' syscall filter.
 */
public final class InitSignals implements Runnable {
    private static final int[] TAKEN = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};

    /** The signals jaild must start the init with blocked, so that this thread, not the kernel's default, gets them. */
    public static int[] taken() {
        return TAKEN.clone();
    }

    private static final Logger LOG = Logger.getLogger(InitSignals.class.getName());
    private final RateLimitedLog ignored = new RateLimitedLog(LOG);
    private final SignalInbox inbox = SignalInbox.open(TAKEN);

    @Override
    public void run() {
        while (true) {
            SignalInbox.Received received = inbox.receive();
            if (!received.fromOutsideOurPidNamespace()) {
                ignored.log("ignored signal " + received.signal() + " sent from inside the container by pid " + received.senderPid());
            } else if (received.signal() != SIGQUIT) {
                LOG.info("signal " + received.signal() + " from the host: stopping the container");
                System.exit(0);
            }
        }
    }
}

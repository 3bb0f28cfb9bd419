package jail.session.init;

import jail.namespace.MountNamespace;
import jail.namespace.logins.LastlogEntry;
import jail.namespace.logins.LoginFile;
import jail.namespace.logins.UtmpEntry;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Logger;

/**
 * The container's login records: utmp ({@code /var/run/utmp}), wtmp ({@code /var/log/wtmp}) and lastlog
 * ({@code /var/log/lastlog}) as the container sees them, written for terminal sessions as sshd and login(1)
 * write them, so that who, w and last inside show jail's sessions. Non-terminal sessions are not recorded (as
 * sshd does).
 *
 * <p>utmp describes the running system, so at start the init replaces it by a fresh one holding a boot
 * record (what systemd-tmpfiles does at boot): stale entries of an earlier init go with it. wtmp and lastlog
 * are history the container opted into: they are written only where they already exist. No file of these is
 * written where a user of the container could have planted or swapped it ({@link LoginFile}).
 *
 * <p>All the work runs on one thread of its own that lives in the container's mount namespace (like a
 * spawner thread, it never changes credentials); callers only queue it, so a slow or broken file never
 * delays a session. A failure is one warning in the log and costs only the record.
 */
final class LoginRecords {
    private static final Logger LOG = Logger.getLogger(LoginRecords.class.getName());
    static final String UTMP_DIR = "/var/run", LOG_DIR = "/var/log";

    private final BlockingQueue<Runnable> tasks;
    /** Live logins by pid: touched by the records thread only. */
    private final Map<Integer, UtmpEntry> logins = new HashMap<>();

    private LoginRecords(BlockingQueue<Runnable> tasks) {
        this.tasks = tasks;
    }

    /** Records nothing (the AOT training run, which has no container). */
    static LoginRecords disabled() {
        return new LoginRecords(null);
    }

    /** Starts the records thread in {@code container}, and replaces utmp and writes the boot record first. */
    static LoginRecords start(MountNamespace container) {
        preload();
        LoginRecords records = new LoginRecords(new LinkedBlockingQueue<>());
        Thread t = new Thread(() -> records.run(container), "login-records");
        t.setDaemon(true);
        t.start();
        records.queue("boot", records::boot);
        return records;
    }

    void login(int pid, String tty, String user, int uid, String host, byte[] addr) {
        Instant now = Instant.now();
        queue("login on " + tty, () -> recordLogin(UtmpEntry.login(pid, tty, user, host, addr, now), uid));
    }

    void logout(int pid) {
        Instant now = Instant.now();
        queue("logout of session " + pid, () -> recordLogout(pid, now));
    }

    private void queue(String what, Runnable task) {
        if (tasks == null) return;
        tasks.add(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warning("login records: " + what + " not recorded: " + e.getMessage());
            }
        });
    }

    private void run(MountNamespace container) {
        try {
            container.enter();
        } catch (RuntimeException e) {
            LOG.warning("login records off: cannot enter the container: " + e.getMessage());
            return;
        }
        while (true) {
            try {
                tasks.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void boot() {
        UtmpEntry boot = UtmpEntry.boot(Instant.now());
        try (LoginFile utmp = LoginFile.createFresh(UTMP_DIR, "utmp", utmpGroup())) {
            if (utmp != null) utmp.appendRecord(boot.encode());
        }
        appendWtmp(boot);
    }

    private void recordLogin(UtmpEntry entry, int uid) {
        logins.put(entry.pid(), entry);
        writeUtmp(entry);
        appendWtmp(entry);
        try (LoginFile lastlog = LoginFile.openExisting(LOG_DIR, "lastlog")) {
            if (lastlog != null) {
                lastlog.writeAt(LastlogEntry.offsetOf(uid), new LastlogEntry(entry.seconds(), entry.line(), entry.host()).encode());
            }
        }
    }

    private void recordLogout(int pid, Instant at) {
        UtmpEntry login = logins.remove(pid);
        if (login == null) return;
        UtmpEntry dead = login.loggedOut(at);
        writeUtmp(dead);
        appendWtmp(dead);
    }

    /** Into the slot of the same line id if there is one (as glibc's pututline), else appended. */
    private static void writeUtmp(UtmpEntry entry) {
        try (LoginFile utmp = LoginFile.openExisting(UTMP_DIR, "utmp")) {
            if (utmp == null) return;
            byte[] all = utmp.readAll();
            for (int at = 0; at + UtmpEntry.SIZE <= all.length; at += UtmpEntry.SIZE) {
                UtmpEntry old = UtmpEntry.decode(all, at);
                if (old.type() >= 5 && old.type() <= 8 && old.id().equals(entry.id())) {
                    utmp.writeAt(at, entry.encode());
                    return;
                }
            }
            utmp.appendRecord(entry.encode());
        }
    }

    private static void appendWtmp(UtmpEntry entry) {
        try (LoginFile wtmp = LoginFile.openExisting(LOG_DIR, "wtmp")) {
            if (wtmp != null) wtmp.appendRecord(entry.encode());
        }
    }

    /** utmp belongs to the "utmp" group where the container has one (Debian's who and w are not setgid). */
    private static int utmpGroup() {
        return SessionSpawner.groupId("utmp", 0);
    }

    /** Loads what the records thread uses while the JVM still sees its own jars (see SessionSpawner.preload). */
    private static void preload() {
        // The records thread logs its warnings from inside the container, where the JDK's files (time-zone data
        // for the timestamp) are out of reach, and a class that fails to initialise there fails for the JVM's
        // life: every log line of the init after it would throw. Format one line here first, on the host side.
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            if (h.getFormatter() != null) h.getFormatter().format(new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "preload"));
        }
        UtmpEntry sample = UtmpEntry.login(1, "/dev/pts/0", "u", "h", new byte[4], Instant.EPOCH);
        UtmpEntry.decode(sample.loggedOut(Instant.EPOCH).encode(), 0).id();
        UtmpEntry.boot(Instant.EPOCH).encode();
        new LastlogEntry(0, "pts/0", "").encode();
        for (Class<?> c : new Class<?>[]{LoginFile.class, LoginFile.UnsafeLoginFileException.class,
                jail.namespace.SyscallException.class, jail.namespace.Errno.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            LoginFile.openExisting("/", "jail-preload-absent"); // the open path: null on a host whose "/" is root's
        } catch (LoginFile.UnsafeLoginFileException rootless) {
            // in a rootless container's user namespace the host's "/" is nobody's: the checking path is loaded all the same
        }
    }
}

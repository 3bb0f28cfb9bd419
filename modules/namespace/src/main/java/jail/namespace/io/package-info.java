/**
 * Moving bytes between file descriptors, for the relay and the client: a poll set, an eventfd, pipes (FIONREAD,
 * their size), splice(2), a unix socket of our own, and native buffers. The session module speaks to the
 * kernel through these and never through JNA itself; every failure is a {@link jail.namespace.SyscallException}
 * naming the call, the fd and the errno.
 */
package jail.namespace.io;

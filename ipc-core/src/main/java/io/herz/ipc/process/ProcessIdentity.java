package io.herz.ipc.process;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Identity of an operating-system process as Herz records it in shared memory: the pid, the process start time
 * and the pid namespace. The pid and start time survive pid reuse: a recycled pid has a different start time.
 * <p>
 * <b>Start time.</b> On Linux the start time is the kernel's own, immutable record: field 22 of
 * {@code /proc/PID/stat}, in clock ticks since boot. It is read from the same place for every process, this one
 * included, so two JVMs always compute the same identity for the same live process. It is never derived from the
 * wall clock: the JDK's {@link ProcessHandle.Info#startInstant()} adds the boot time of {@code /proc/stat}
 * ({@code btime}) to it, and {@code btime} moves when the wall clock is stepped (NTP step, VM resume), so two JVMs
 * started on either side of a step would disagree about the same live process and judge it dead.
 * <p>
 * <b>Fallback off Linux</b> (no usable {@code /proc}, see {@link #isProcAvailable()}): the start time is
 * {@code ProcessHandle.info().startInstant()} in epoch milliseconds, again for every process including this one;
 * where the operating system does not report it, 1 for every process (liveness then rests on the pid alone).
 * Caveat, documented rather than hidden: on such systems the instant may be computed from the wall clock, so a
 * clock step between two processes' observations can make a live process look dead. Run Herz on Linux for
 * production; the fallback exists for development machines.
 * <p>
 * <b>Owner token.</b> The pid and start time pack into one 64-bit word,
 * {@code pid << 32 | (startTime & 0xFFFF_FFFF)}, so that a slot in shared memory can be claimed or taken over with
 * a single compare-and-set: there is no window in which a reader sees the pid of one owner with the start time of
 * another. The low 32 bits of a tick count wrap after 2<sup>32</sup> ticks (497 days at the usual 100 Hz); two
 * processes share a token only when they have the same pid and start times that far apart.
 * <p>
 * <b>Pid namespace.</b> A process in another pid namespace (another container sharing the same {@code /dev/shm})
 * is not visible in this one's {@code /proc}, or is visible under another pid. Each owner therefore records its pid
 * namespace ({@link #pidNamespace()}, the inode of {@code /proc/self/ns/pid}) beside its token, and
 * {@link #liveness(long, long)} answers {@link Liveness#FOREIGN_NAMESPACE} for a holder recorded with a namespace
 * other than ours: such a holder is never taken for dead. {@link #isAlive(long)} has no namespace to compare and
 * takes the holder to be in ours. In shared memory a namespace id is an unsigned 32-bit number (producer slot field
 * {@code pidNamespace}, the consumer namespace table of the ring block): Linux numbers namespace inodes with an
 * {@code unsigned int} ({@code proc_inum}), so the inode is stored as it is; an inode that does not fit 32 bits (not
 * seen on Linux) is folded by {@link #namespaceId(long)} into a non-zero 32-bit id, the same for every process.
 * 0 ({@link #UNKNOWN_NAMESPACE}) means "not recorded" (a segment written before namespaces were recorded, or a
 * system without {@code /proc/self/ns/pid}) and is taken to be ours.
 * <p>
 * Liveness ({@link #liveness(long, long)}, {@link #isAlive(long)}) reads {@code /proc/PID/stat} with a syscall
 * or two and, on Linux, allocates nothing in steady state (a per-thread direct buffer, a byte parser, the open
 * {@code stat} file of the last few live processes each thread asked about): it is meant for slow paths and the
 * consumer's stall checks (a stalled record, a slot takeover, registration), never per message. The fallback off
 * Linux allocates ({@link ProcessHandle}).
 */
public final class ProcessIdentity
{
    /** Namespace id meaning "unknown or not recorded". */
    public static final long UNKNOWN_NAMESPACE = 0;

    /**
     * The 32-bit id under which a pid namespace inode is recorded in shared memory (see the class comment): the inode
     * itself when it fits 32 bits, as on Linux, else a non-zero fold of its two halves.
     *
     * @param inode the inode of a {@code /proc/PID/ns/pid} link, or 0 if unknown.
     * @return the namespace id, in {@code 0..0xFFFF_FFFF}; 0 only for an unknown namespace.
     */
    public static long namespaceId(final long inode)
    {
        if ((inode & 0xFFFF_FFFFL) == inode)
        {
            return inode;
        }
        final long folded = (inode ^ (inode >>> 32)) & 0xFFFF_FFFFL;
        return folded == 0 ? 1 : folded;
    }

    /**
     * A namespace id as read from its 32-bit field in shared memory.
     *
     * @param stored the {@code int} read from a {@code pidNamespace} field.
     * @return the namespace id ({@link #UNKNOWN_NAMESPACE} for 0).
     */
    public static long namespaceFromField(final int stored)
    {
        return stored & 0xFFFF_FFFFL;
    }

    /**
     * What {@link #liveness(long, long)} knows about the holder of a token.
     */
    public enum Liveness
    {
        /** Running, in our pid namespace, with the start time the token records. */
        ALIVE,
        /** Gone: no such pid, a zombie, or the pid now belongs to a process with another start time. */
        DEAD,
        /**
         * Recorded with a pid namespace other than ours: this process cannot see it, so it is never taken for dead.
         */
        FOREIGN_NAMESPACE,
        /** The process is there but cannot be inspected (unreadable {@code /proc} entry): taken to be alive. */
        UNKNOWN;

        /**
         * @return true unless the holder is known to be gone: the only answer that allows taking its slot.
         */
        public boolean isDead()
        {
            return this == DEAD;
        }
    }

    private static final ProcessTable SYSTEM = new ProcessTable(Path.of("/proc"), ProcessHandle.current().pid());
    private static final ProcessIdentity CURRENT = SYSTEM.self();

    private final long pid;
    private final long startTime;
    private final long pidNamespace;
    private final long startTimeMs;

    ProcessIdentity(final long pid, final long startTime, final long pidNamespace)
    {
        this.pid = pid;
        this.startTime = startTime;
        this.pidNamespace = pidNamespace;
        this.startTimeMs = ProcessHandle.of(pid)
            .flatMap(handle -> handle.info().startInstant())
            .map(Instant::toEpochMilli)
            .orElse(0L);
    }

    /**
     * The identity of this JVM's process.
     *
     * @return the identity of the current process.
     */
    public static ProcessIdentity current()
    {
        return CURRENT;
    }

    /**
     * The identity of another process as this process sees it, read from the same source as {@link #current()}.
     *
     * @param pid a process id in this process's pid namespace.
     * @return its identity, or empty if no such live process is visible.
     */
    public static Optional<ProcessIdentity> of(final long pid)
    {
        return SYSTEM.identityOf(pid);
    }

    /**
     * @return true if identities come from {@code /proc} (Linux), false if the documented fallback is in use.
     */
    public static boolean isProcAvailable()
    {
        return SYSTEM.isProcAvailable();
    }

    /**
     * @return the process id.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * The start time that identifies this process: clock ticks since boot on Linux, epoch milliseconds in the
     * fallback (see the class comment). Immutable for the life of the process on Linux.
     *
     * @return the identifying start time (the token built from it is never 0 for a real pid).
     */
    public long startTime()
    {
        return startTime;
    }

    /**
     * The start time as a wall-clock instant, for display only (a monitor's "started at"). It is computed from the
     * wall clock and may differ between observers; never compare it to decide identity (use {@link #token()}).
     *
     * @return the start time in epoch milliseconds, or 0 if the operating system does not report it.
     */
    public long startTimeMs()
    {
        return startTimeMs;
    }

    /**
     * @return the pid namespace id (inode of {@code /proc/self/ns/pid}), or {@link #UNKNOWN_NAMESPACE} (0).
     */
    public long pidNamespace()
    {
        return pidNamespace;
    }

    /**
     * @return the owner token of this process, never 0.
     */
    public long token()
    {
        return token(pid, startTime);
    }

    /**
     * Pack a pid and start time into an owner token.
     *
     * @param pid       process id.
     * @param startTime identifying start time as returned by {@link #startTime()}.
     * @return the owner token.
     */
    public static long token(final long pid, final long startTime)
    {
        return (pid << 32) | (startTime & 0xFFFF_FFFFL);
    }

    /**
     * @param token an owner token.
     * @return the pid packed in the token.
     */
    public static long pidOf(final long token)
    {
        return token >>> 32;
    }

    /**
     * Is the holder of this owner token, taken to be in our pid namespace, still running? A zombie (exited, not yet
     * reaped) counts as dead; a process that cannot be inspected counts as alive.
     * Same as {@code !liveness(token, UNKNOWN_NAMESPACE).isDead()}.
     *
     * @param token owner token as stored in a slot.
     * @return false only if the owner is known to be gone.
     */
    public static boolean isAlive(final long token)
    {
        return !SYSTEM.liveness(token, UNKNOWN_NAMESPACE).isDead();
    }

    /**
     * What is known of the holder of a token recorded together with its pid namespace.
     * <ul>
     * <li>a namespace other than ours (both known): {@link Liveness#FOREIGN_NAMESPACE}, whatever our {@code /proc}
     *     shows under that pid;</li>
     * <li>{@link #UNKNOWN_NAMESPACE} recorded (an older layout, or a system without namespaces): taken to be
     *     ours;</li>
     * <li>in our namespace: {@link Liveness#ALIVE} if the pid runs with the recorded start time,
     *     {@link Liveness#DEAD} if it is absent, a zombie or another process, {@link Liveness#UNKNOWN} if its
     *     {@code /proc} entry exists but cannot be read.</li>
     * </ul>
     *
     * @param token        owner token as stored in a slot (0 or a pid of 0 is {@link Liveness#DEAD}: nobody).
     * @param pidNamespace the namespace recorded with the token, or {@link #UNKNOWN_NAMESPACE}.
     * @return the liveness of the holder.
     */
    public static Liveness liveness(final long token, final long pidNamespace)
    {
        return SYSTEM.liveness(token, pidNamespace);
    }

    /**
     * A message for a holder that {@link #liveness(long, long)} reported as {@link Liveness#FOREIGN_NAMESPACE}.
     *
     * @param what         what is held, e.g. "ring /dev/shm/herz-a producer slot 3".
     * @param token        the holder's token.
     * @param pidNamespace the holder's recorded namespace.
     * @return a sentence naming the holder and both namespaces.
     */
    public static String describeForeignHolder(final String what, final long token, final long pidNamespace)
    {
        return what + " held by a process in another pid namespace: pid " + pidOf(token) + " in pid:[" +
            pidNamespace + "], this process is in pid:[" + CURRENT.pidNamespace +
            "]; it is never taken for dead (run every process of a pipeline in one pid namespace, " +
            "or remove the ring once that process has stopped)";
    }

    public boolean equals(final Object other)
    {
        return other instanceof ProcessIdentity that && pid == that.pid && startTime == that.startTime &&
            pidNamespace == that.pidNamespace;
    }

    public int hashCode()
    {
        return Long.hashCode(token()) * 31 + Long.hashCode(pidNamespace);
    }

    public String toString()
    {
        return "pid=" + pid + " startTime=" + startTime + " pidNamespace=" + pidNamespace;
    }
}

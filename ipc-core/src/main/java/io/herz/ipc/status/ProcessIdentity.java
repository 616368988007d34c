package io.herz.ipc.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Identity of an operating-system process as Herz records it in shared memory: the pid plus the process start
 * time. The pair survives pid reuse: a recycled pid has a different start time.
 * <p>
 * The <em>owner token</em> packs both into one 64-bit word, {@code pid << 32 | (startTimeMs & 0xFFFF_FFFF)}, so that
 * a slot in shared memory can be claimed or taken over with a single compare-and-set: there is no window in which
 * a reader sees the pid of one owner with the start time of another. Two processes share a token only when they
 * have the same pid and start times that differ by a multiple of 2<sup>32</sup> ms (49.7 days), which the full
 * start time stored beside the token then tells apart.
 * <p>
 * Liveness ({@link #isAlive(long)}) asks the operating system through {@link ProcessHandle}; it allocates and
 * is meant for slow paths only (a stalled record, a slot takeover), never per message.
 * <p>
 * Limitation: processes in another pid namespace (another container sharing the same {@code /dev/shm}) are not
 * visible and look dead. Run every process of one pipeline in the same pid namespace.
 */
public final class ProcessIdentity
{
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current());

    private final long pid;
    private final long startTimeMs;

    private ProcessIdentity(final long pid, final long startTimeMs)
    {
        this.pid = pid;
        this.startTimeMs = startTimeMs;
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

    private static ProcessIdentity of(final ProcessHandle handle)
    {
        final Optional<Instant> start = handle.info().startInstant();
        // Fall back to 1 (never 0, which means "free" in a slot) when the OS does not report a start time.
        final long startMs = start.map(Instant::toEpochMilli).orElse(1L);
        return new ProcessIdentity(handle.pid(), startMs);
    }

    /**
     * @return the process id.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * @return the process start time in epoch milliseconds as reported by the operating system.
     */
    public long startTimeMs()
    {
        return startTimeMs;
    }

    /**
     * @return the owner token of this process, never 0.
     */
    public long token()
    {
        return token(pid, startTimeMs);
    }

    /**
     * Pack a pid and start time into an owner token.
     *
     * @param pid         process id.
     * @param startTimeMs process start time in epoch milliseconds.
     * @return the owner token.
     */
    public static long token(final long pid, final long startTimeMs)
    {
        return (pid << 32) | (startTimeMs & 0xFFFF_FFFFL);
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
     * Is the process with this owner token still running (pid alive, start time matching the token)? A zombie
     * (exited, not yet reaped) counts as dead.
     *
     * @param token owner token as stored in a slot.
     * @return true if the owner is alive.
     */
    public static boolean isAlive(final long token)
    {
        final long pid = pidOf(token);
        if (pid <= 0)
        {
            return false;
        }
        if (pid == CURRENT.pid)
        {
            return token == CURRENT.token();
        }

        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || isZombie(pid))
        {
            return false;
        }

        final Optional<Instant> start = handle.get().info().startInstant();
        return start.isEmpty() || token(pid, start.get().toEpochMilli()) == token;
    }

    private static boolean isZombie(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final int afterComm = stat.lastIndexOf(')');
            return afterComm > 0 && afterComm + 2 < stat.length() && stat.charAt(afterComm + 2) == 'Z';
        }
        catch (final IOException | RuntimeException ex)
        {
            return false; // no /proc (not Linux) or the process just went away: ProcessHandle already answered
        }
    }

    public String toString()
    {
        return "pid=" + pid + " startTimeMs=" + startTimeMs;
    }
}

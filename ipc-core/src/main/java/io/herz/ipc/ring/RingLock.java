package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import static io.herz.ipc.segment.SegmentDescriptor.RING_LOCK_TOKEN_OFFSET;

/**
 * The ring lock: a word in the ring block that serialises the slow paths which must agree on the set of consumer
 * positions: cleaning (a producer cleaning the space ahead of the tail and advancing {@code cleanPosition}), and a
 * consumer name joining, being removed or being dropped. Never taken per record: a producer takes it once per
 * cleaned chunk.
 * <p>
 * The word holds the holder's process token (F22 CAS). Producers of one process share that token, so within one
 * JVM the lock is also held through a {@link ReentrantLock} of this JVM for that file (keyed by the file's device
 * and inode, {@link Segment#fileIdentity()}, so every mapping of the file in this JVM shares it and rings of other
 * files do not): while a thread holds it, a word equal to our own token can only be one that a thread of this
 * process leaked, and is taken over. (One lock for every ring of the JVM, as before, made a producer meeting its
 * ring's clean boundary while another thread cleaned another ring back-pressured for nothing.) A word held by a
 * process that is gone is taken over too (F22 CAS from the dead token); a live holder is waited for, never
 * overruled. The word has no namespace of its own: a holder that owns a producer or consumer slot is judged with the
 * pid namespace recorded there, so a cleaning producer in another pid namespace is never taken for dead.
 */
final class RingLock
{
    /** One per segment file opened by this JVM; never removed (one small object per file). */
    private static final ConcurrentHashMap<Object, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private RingLock()
    {
    }

    /**
     * Try to take the lock once.
     *
     * @param header the segment header.
     * @return true when taken; then {@link #unlock(AtomicBuffer)} must follow.
     */
    static boolean tryLock(final Segment segment)
    {
        final ReentrantLock jvmLock = jvmLock(segment);
        if (!jvmLock.tryLock())
        {
            return false;
        }
        final AtomicBuffer header = segment.buffer();
        final long token = ProcessIdentity.current().token();
        // F22 acquire (ring lock): everything the previous holder wrote before its F22 release is visible.
        final long holder = header.getLongVolatile(RING_LOCK_TOKEN_OFFSET);
        if (holder == 0 || holder == token || ProducerRegistry.lockHolderLiveness(header, holder).isDead())
        {
            // F22 CAS (ring lock): one holder at a time; a dead or leaked holder is replaced in the same step.
            // Pairs with F22 release in unlock() and with the CAS of other processes.
            if (header.compareAndSetLong(RING_LOCK_TOKEN_OFFSET, holder, token))
            {
                return true;
            }
        }
        jvmLock.unlock();
        return false;
    }

    /**
     * Try to take the lock once if nobody holds it (or a thread of this process leaked it), without asking whether a
     * holder's process is alive: that reads {@code /proc} and allocates, so the claim path's early cleaning uses
     * this one and leaves a taken lock alone.
     *
     * @param header the segment header.
     * @return true when taken; then {@link #unlock(AtomicBuffer)} must follow.
     */
    static boolean tryLockIfFree(final Segment segment)
    {
        final ReentrantLock jvmLock = jvmLock(segment);
        if (!jvmLock.tryLock())
        {
            return false;
        }
        final AtomicBuffer header = segment.buffer();
        final long token = ProcessIdentity.current().token();
        // F22 acquire (ring lock): everything the previous holder wrote before its F22 release is visible.
        final long holder = header.getLongVolatile(RING_LOCK_TOKEN_OFFSET);
        // F22 CAS (ring lock): one holder at a time. Pairs with F22 release in unlock() and the CAS of others.
        if ((holder == 0 || holder == token) && header.compareAndSetLong(RING_LOCK_TOKEN_OFFSET, holder, token))
        {
            return true;
        }
        jvmLock.unlock();
        return false;
    }

    /**
     * Take the lock, waiting up to {@code timeoutNs} for a live holder.
     *
     * @param segment   the segment.
     * @param timeoutNs how long to wait.
     * @param what      what the lock is taken for, for the error.
     * @throws SegmentException naming the holder when it was not released in time.
     */
    static void lock(final Segment segment, final long timeoutNs, final String what)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!tryLock(segment))
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                final long holder = segment.buffer().getLongVolatile(RING_LOCK_TOKEN_OFFSET);
                throw new SegmentException(segment.path(), "ring lock not released in time for " + what +
                    ": expected it free within " + timeoutNs / 1_000_000 + " ms, found it held by pid=" +
                    (holder == ProcessIdentity.current().token() ? ProcessIdentity.current().pid() + " (this process)" :
                    Long.toString(ProcessIdentity.pidOf(holder))));
            }
            Thread.onSpinWait();
        }
    }

    static void unlock(final Segment segment)
    {
        // F22 release (ring lock): publishes the cleaning or consumer-table stores made under the lock.
        segment.buffer().putLongRelease(RING_LOCK_TOKEN_OFFSET, 0);
        jvmLock(segment).unlock();
    }

    private static ReentrantLock jvmLock(final Segment segment)
    {
        return JVM_LOCKS.computeIfAbsent(segment.fileIdentity(), RingLock::newLock);
    }

    private static ReentrantLock newLock(final Object fileIdentity)
    {
        return new ReentrantLock();
    }
}

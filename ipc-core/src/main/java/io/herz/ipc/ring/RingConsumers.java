package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.herz.ipc.ring.ConsumerSlotDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * The consumer table of a ring (guarantee 9): list, join, remove. Slow path only; every change happens under the
 * ring lock ({@link RingLock}), because the cleaning producer reads the table under it to decide how far it may
 * reuse space.
 * <p>
 * Policy for consumers that go away:
 * <ul>
 * <li>{@link RingConsumer#close()} detaches the process but keeps the name registered: its position keeps holding
 * the producers back, and the next process of that name resumes there. Nothing is lost.</li>
 * <li>A process that dies without closing leaves its name registered the same way. By default it holds the ring
 * for ever; a consumer may opt in to {@code dropAfterMs}: once no live process has been attached to the name for
 * that long (no heartbeat), a cleaning producer removes it and counts it in {@code droppedConsumers}.</li>
 * <li>{@link #remove(Segment, String)} removes a name at once (refused while a live process is attached).</li>
 * <li>When the last registered name leaves (removed or dropped), the ring retains nothing older than the tail at
 * that moment ({@code basePosition = tail}); a consumer that later joins at {@link StartPosition#OLDEST} starts
 * there.</li>
 * </ul>
 * Pid namespaces: the namespace of the process attached to slot {@code i} is recorded in the ring block
 * ({@link io.herz.ipc.segment.SegmentDescriptor#consumerPidNamespaceOffset(int)}), written under the ring lock before
 * the F15 CAS. A holder recorded in another pid namespace is never taken for dead: {@link #attach} refuses a second
 * process of that name, {@link #remove} refuses to remove it, both with "... held by a process in another pid
 * namespace: ...", and the opt-in drop policy leaves it alone.
 */
public final class RingConsumers
{
    /** Where a consumer name that is not yet registered starts reading. */
    public enum StartPosition
    {
        /** At the tail: only records claimed after joining. */
        TAIL,
        /** At the oldest record still held by the ring (the slowest registered consumer, else the base). */
        OLDEST
    }

    /**
     * One registered consumer name.
     *
     * @param slot            consumer slot index.
     * @param name            the name.
     * @param pid             pid of the attached process, 0 when none is attached.
     * @param alive           whether an attached process is alive.
     * @param position        position up to which it has read and released.
     * @param recordsConsumed records it delivered.
     * @param heartbeatMs     last heartbeat, epoch ms.
     * @param dropAfterMs     opt-in drop timeout, 0 when it holds the ring for ever.
     */
    public record ConsumerInfo(
        int slot, String name, long pid, boolean alive, long position, long recordsConsumed, long heartbeatMs,
        long dropAfterMs)
    {
    }

    private RingConsumers()
    {
    }

    /**
     * List the registered consumer names of a ring. Allocates; for monitors and the command line.
     *
     * @param segment an open segment.
     * @return the registered consumers, in slot order.
     */
    public static List<ConsumerInfo> list(final Segment segment)
    {
        final AtomicBuffer header = segment.buffer();
        final List<ConsumerInfo> result = new ArrayList<>();
        for (int i = 0; i < CONSUMER_SLOT_COUNT; i++)
        {
            final int slot = consumerSlotOffset(i);
            // F18 acquire (slot state): the name and settings written before F18 are visible.
            if (header.getIntAcquire(slot + STATE_OFFSET) != STATE_REGISTERED)
            {
                continue;
            }
            final long owner = header.getLongAcquire(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET);
            result.add(new ConsumerInfo(
                i,
                name(segment, slot),
                owner == 0 ? 0 : ProcessIdentity.pidOf(owner),
                owner != 0 && !holderLiveness(header, i, owner).isDead(),
                header.getLongAcquire(slot + POSITION_OFFSET),
                header.getLongAcquire(slot + RECORDS_CONSUMED_OFFSET),
                header.getLongAcquire(slot + HEARTBEAT_OFFSET),
                header.getLong(slot + DROP_AFTER_MS_OFFSET)));
        }
        return result;
    }

    /**
     * The highest position a consumer of this ring may hold now: the tail, or while an exclusive producer's commit
     * has made its record readable but not yet stored the tail (its gate F28 comes before its tail F5x), the end of
     * that claim. A monitor computing a consumer's lag reads the consumer's position first, then this.
     *
     * @param segment an open segment.
     * @return the committed end.
     */
    public static long committedEnd(final Segment segment)
    {
        // Acquire (tail): pairs with F5 and F5x; read after the caller's consumer positions.
        return ProducerRegistry.committedEnd(segment, segment.buffer().getLongAcquire(TAIL_POSITION_OFFSET));
    }

    /**
     * Remove a consumer name: its position stops holding the producers back at once, so producers back-pressured on
     * it proceed. Refused while a live process is attached to the name.
     *
     * @param segment an open segment.
     * @param name    the consumer name.
     * @return true if it was registered and is now removed, false if no such name was registered.
     * @throws SegmentException if a live process is attached to the name.
     */
    public static boolean remove(final Segment segment, final String name)
    {
        final byte[] bytes = checkName(name);
        final AtomicBuffer header = segment.buffer();
        RingLock.lock(segment, segment.lockTimeoutNs(), "removing consumer " + name);
        try
        {
            final int slotIndex = find(header, bytes);
            if (slotIndex < 0)
            {
                return false;
            }
            final int slot = consumerSlotOffset(slotIndex);
            final long owner = header.getLongVolatile(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET);
            final ProcessIdentity.Liveness liveness = owner == 0 ? ProcessIdentity.Liveness.DEAD :
                holderLiveness(header, slotIndex, owner);
            if (liveness == ProcessIdentity.Liveness.FOREIGN_NAMESPACE)
            {
                throw new SegmentException(segment.path(), "consumer " + name + " is in use: " +
                    describeForeign(segment, name, slotIndex, owner));
            }
            if (!liveness.isDead())
            {
                throw new SegmentException(segment.path(), "consumer " + name + " is in use: expected no live " +
                    "process attached, found pid=" + ProcessIdentity.pidOf(owner));
            }
            // F18 release (slot state): the name is gone; cleaning producers (under the lock) stop counting it.
            header.putIntRelease(slot + STATE_OFFSET, STATE_FREE);
            if (registeredCount(header) == 0)
            {
                header.putLongRelease(BASE_POSITION_OFFSET, header.getLongVolatile(TAIL_POSITION_OFFSET));
            }
            return true;
        }
        finally
        {
            RingLock.unlock(segment);
        }
    }

    /**
     * Attach this process to a consumer name, registering it if new. Decides liveness of a holder first, then takes
     * the slot by CAS on its owner token (F15), so a holder that attaches meanwhile makes the CAS fail and is seen
     * on the next look.
     *
     * @return the slot index.
     */
    static int attach(final Segment segment, final String name, final StartPosition start, final long dropAfterMs)
    {
        final byte[] bytes = checkName(name);
        if (dropAfterMs < 0)
        {
            throw new IllegalArgumentException("dropAfterMs must be 0 (never) or positive: found " + dropAfterMs);
        }
        final AtomicBuffer header = segment.buffer();
        final ProcessIdentity self = ProcessIdentity.current();
        final long token = self.token();
        RingLock.lock(segment, segment.lockTimeoutNs(), "attaching consumer " + name);
        try
        {
            int slotIndex = find(header, bytes);
            final long tail = header.getLongVolatile(TAIL_POSITION_OFFSET);
            if (slotIndex >= 0)
            {
                final int slot = consumerSlotOffset(slotIndex);
                while (true)
                {
                    final long holder = header.getLongVolatile(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET);
                    if (holder == token)
                    {
                        throw new SegmentException(segment.path(), "consumer " + name + " already attached in this " +
                            "process: expected none, found pid=" + self.pid());
                    }
                    final ProcessIdentity.Liveness liveness = holder == 0 ? ProcessIdentity.Liveness.DEAD :
                        holderLiveness(header, slotIndex, holder);
                    if (liveness == ProcessIdentity.Liveness.FOREIGN_NAMESPACE)
                    {
                        throw new SegmentException(segment.path(), "consumer " + name + " already has a process: " +
                            describeForeign(segment, name, slotIndex, holder));
                    }
                    if (!liveness.isDead())
                    {
                        throw new SegmentException(segment.path(), "consumer " + name + " already has a live " +
                            "process: expected none, found pid=" + ProcessIdentity.pidOf(holder));
                    }
                    // Plain, under the ring lock, before the CAS: our namespace is in place when our token is.
                    // The holder judged dead writes nothing more; every judge that acts on it holds the lock.
                    header.putInt(consumerPidNamespaceOffset(slotIndex), (int)self.pidNamespace());
                    // F15 CAS (consumer owner): one process per name; a dead holder is replaced in the same step.
                    if (header.compareAndSetLong(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET, holder, token))
                    {
                        break;
                    }
                }
                // F3 acquire (resumed position), then the committed end read after it: an exclusive producer's
                // record this name has read may lie above the tail until that producer's tail store.
                final long resumed = header.getLongAcquire(slot + POSITION_OFFSET);
                RingCleaner.checkPosition(segment, slotIndex, resumed,
                    ProducerRegistry.committedEnd(segment, header.getLongVolatile(TAIL_POSITION_OFFSET)));
                header.putLong(slot + DROP_AFTER_MS_OFFSET, dropAfterMs);
            }
            else
            {
                slotIndex = freeSlot(header);
                if (slotIndex < 0)
                {
                    throw new SegmentException(segment.path(), "no free consumer slot for " + name + ": expected " +
                        "fewer than " + CONSUMER_SLOT_COUNT + " registered consumers, found " + CONSUMER_SLOT_COUNT);
                }
                final long position = start == StartPosition.TAIL ? tail :
                    RingCleaner.oldestPosition(segment, System.currentTimeMillis());
                final int slot = consumerSlotOffset(slotIndex);
                header.putInt(slot + NAME_LENGTH_OFFSET, bytes.length);
                header.setMemory(slot + NAME_OFFSET, MAX_NAME_LENGTH, (byte)0);
                header.putBytes(slot + NAME_OFFSET, bytes);
                header.putLong(slot + DROP_AFTER_MS_OFFSET, dropAfterMs);
                header.putLong(slot + RECORDS_CONSUMED_OFFSET, 0);
                header.putLongRelease(slot + POSITION_OFFSET, position);
                header.putInt(consumerPidNamespaceOffset(slotIndex), (int)self.pidNamespace()); // before the token
                header.putLongVolatile(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
                // F18 release (slot state): name, settings and position become visible with the registration.
                // Under the ring lock, so no cleaner computes a limit without it. Pairs with F18 acquire, F3.
                header.putIntRelease(slot + STATE_OFFSET, STATE_REGISTERED);
            }
            final int slot = consumerSlotOffset(slotIndex);
            header.putLong(slot + ConsumerSlotDescriptor.PID_OFFSET, self.pid());
            header.putLong(slot + ConsumerSlotDescriptor.START_TIME_OFFSET, self.startTimeMs());
            header.putLongRelease(slot + HEARTBEAT_OFFSET, System.currentTimeMillis());
            return slotIndex;
        }
        finally
        {
            RingLock.unlock(segment);
        }
    }

    static void detach(final Segment segment, final int slotIndex)
    {
        // F15 CAS (consumer owner): only if we still hold it.
        segment.buffer().compareAndSetLong(consumerSlotOffset(slotIndex) + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET,
            ProcessIdentity.current().token(), 0);
    }

    /**
     * Liveness of the process attached to a consumer slot, judged with the pid namespace recorded for it.
     *
     * @param header    the segment header buffer.
     * @param slotIndex consumer slot index.
     * @param owner     the owner token read from the slot (not 0).
     * @return what is known of the holder.
     */
    static ProcessIdentity.Liveness holderLiveness(final AtomicBuffer header, final int slotIndex, final long owner)
    {
        return ProcessIdentity.liveness(owner,
            ProcessIdentity.namespaceFromField(header.getInt(consumerPidNamespaceOffset(slotIndex))));
    }

    private static String describeForeign(
        final Segment segment, final String name, final int slotIndex, final long owner)
    {
        return ProcessIdentity.describeForeignHolder("ring " + segment.path() + " consumer " + name + " (slot " +
            slotIndex + ")", owner,
            ProcessIdentity.namespaceFromField(segment.buffer().getInt(consumerPidNamespaceOffset(slotIndex))));
    }

    private static int find(final AtomicBuffer header, final byte[] name)
    {
        for (int i = 0; i < CONSUMER_SLOT_COUNT; i++)
        {
            final int slot = consumerSlotOffset(i);
            if (header.getIntVolatile(slot + STATE_OFFSET) == STATE_REGISTERED &&
                header.getInt(slot + NAME_LENGTH_OFFSET) == name.length && nameEquals(header, slot, name))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean nameEquals(final AtomicBuffer header, final int slot, final byte[] name)
    {
        for (int i = 0; i < name.length; i++)
        {
            if (header.getByte(slot + NAME_OFFSET + i) != name[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int freeSlot(final AtomicBuffer header)
    {
        for (int i = 0; i < CONSUMER_SLOT_COUNT; i++)
        {
            if (header.getIntVolatile(consumerSlotOffset(i) + STATE_OFFSET) == STATE_FREE)
            {
                return i;
            }
        }
        return -1;
    }

    private static int registeredCount(final AtomicBuffer header)
    {
        int count = 0;
        for (int i = 0; i < CONSUMER_SLOT_COUNT; i++)
        {
            if (header.getIntVolatile(consumerSlotOffset(i) + STATE_OFFSET) == STATE_REGISTERED)
            {
                count++;
            }
        }
        return count;
    }

    private static String name(final Segment segment, final int slot)
    {
        final AtomicBuffer header = segment.buffer();
        final int length = header.getInt(slot + NAME_LENGTH_OFFSET);
        if (length < 1 || length > MAX_NAME_LENGTH)
        {
            throw new SegmentException(segment.path(), "corrupt consumer nameLength at offset " + slot + ": expected " +
                "1.." + MAX_NAME_LENGTH + ", found " + length);
        }
        final byte[] bytes = new byte[length];
        header.getBytes(slot + NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static byte[] checkName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("consumer name must have 1.." + MAX_NAME_LENGTH + " characters: found " +
                (name == null ? "null" : "\"" + name + "\""));
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < 0x21 || c > 0x7E)
            {
                throw new IllegalArgumentException("consumer name must be printable US-ASCII without spaces: found \"" +
                    name + "\"");
            }
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import static io.herz.ipc.ring.ProducerSlotDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET;
import static io.herz.ipc.segment.SegmentDescriptor.TAIL_POSITION_OFFSET;

/**
 * Takes and frees producer slots (layout in {@link ProducerSlotDescriptor}) and the exclusive-producer word. Slow
 * path only: registration scans the table and may ask the operating system whether a slot's owner is alive.
 * <p>
 * A slot is free when its owner token is 0, or when its owner process is gone <em>and</em> its last claim intent
 * lies wholly below the oldest consumer position (every consumer is past it, so nothing of the dead producer can
 * still stall the ring). Order (issue 13, item 2): liveness first, then the intent (a dead owner writes nothing
 * more, so what is read after the liveness answer stays true), then the CAS on the owner token, which fails if
 * anyone took the slot meanwhile; a failed CAS looks at the slot again.
 * <p>
 * Exclusive producers (guarantee 10): an exclusive producer takes a slot, then the ring's exclusive word (F23 CAS),
 * then checks that no other slot has a live owner; a shared producer takes a slot, then checks the exclusive word.
 * Both the CASes and the checks are sequentially consistent, so of two racing producers at least one sees the other
 * and is refused (Dekker); the refusal names the holder.
 */
final class ProducerRegistry
{
    private ProducerRegistry()
    {
    }

    static int register(final Segment segment, final int producerId, final boolean exclusive)
    {
        final AtomicBuffer header = segment.buffer();
        final ProcessIdentity self = ProcessIdentity.current();
        final long token = self.token();
        final int slots = segment.producerSlotCount();
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long owner = header.getLongVolatile(slot + OWNER_TOKEN_OFFSET);
            if (owner != 0 && !isReclaimable(segment, slot, owner))
            {
                continue;
            }
            // F16 CAS (take slot): one owner per slot, identified by pid and start time in one word.
            // Pairs with the owner-token acquire loads of consumers (RingUnblocker) and of other registrants.
            if (header.compareAndSetLong(slot + OWNER_TOKEN_OFFSET, owner, token))
            {
                header.putLongRelease(slot + CLAIM_POSITION_OFFSET, NO_CLAIM);
                header.putLong(slot + CLAIM_LENGTH_OFFSET, 0);
                header.putLongRelease(slot + CLAIMED_POSITION_OFFSET, NO_CLAIM);
                header.putLong(slot + PID_OFFSET, self.pid());
                header.putLong(slot + START_TIME_OFFSET, self.startTimeMs());
                header.putInt(slot + PRODUCER_ID_OFFSET, producerId);
                header.putInt(slot + FLAGS_OFFSET, 0); // FLAG_EXCLUSIVE only once the exclusive word is ours
                header.putLongRelease(slot + RECORDS_OFFERED_OFFSET, 0);
                header.putLongRelease(slot + BYTES_OFFERED_OFFSET, 0);
                header.putLongRelease(slot + BACK_PRESSURE_COUNT_OFFSET, 0);
                header.putLongRelease(slot + LOST_CLAIMS_OFFSET, 0);
                // F17 release (heartbeat): also publishes the plain stores above to monitors.
                header.putLongRelease(slot + HEARTBEAT_OFFSET, System.currentTimeMillis());
                checkExclusive(segment, i, exclusive);
                return i;
            }
            i--; // lost a race for this slot: look at it again
        }
        throw new SegmentException(segment.path(), "no free producer slot: expected fewer than " + slots +
            " live producers, found " + slots);
    }

    private static void checkExclusive(final Segment segment, final int slotIndex, final boolean exclusive)
    {
        final AtomicBuffer header = segment.buffer();
        final long token = ProcessIdentity.current().token();
        while (true)
        {
            final long holder = header.getLongVolatile(EXCLUSIVE_PRODUCER_TOKEN_OFFSET);
            if (holder != 0 && ProcessIdentity.isAlive(holder))
            {
                release(segment, slotIndex);
                throw new SegmentException(segment.path(), "ring has an exclusive producer: expected no other " +
                    "producer, found pid=" + ProcessIdentity.pidOf(holder));
            }
            if (!exclusive)
            {
                return;
            }
            // F23 CAS (exclusive word): a dead holder is replaced in the same step.
            if (header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, holder, token))
            {
                header.putIntRelease(SegmentDescriptor.producerSlotOffset(slotIndex) + FLAGS_OFFSET, FLAG_EXCLUSIVE);
                break;
            }
        }
        final int slots = segment.producerSlotCount();
        for (int i = 0; i < slots; i++)
        {
            final long owner = header.getLongVolatile(SegmentDescriptor.producerSlotOffset(i) + OWNER_TOKEN_OFFSET);
            if (i != slotIndex && owner != 0 && ProcessIdentity.isAlive(owner))
            {
                header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, token, 0);
                release(segment, slotIndex);
                throw new SegmentException(segment.path(), "ring has another producer: expected none for an " +
                    "exclusive producer, found pid=" + ProcessIdentity.pidOf(owner) + " slot=" + i);
            }
        }
    }

    private static boolean isReclaimable(final Segment segment, final int slot, final long owner)
    {
        if (ProcessIdentity.isAlive(owner))
        {
            return false;
        }
        final AtomicBuffer header = segment.buffer();
        final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
        if (claimPosition == NO_CLAIM)
        {
            return true;
        }
        final long end = claimPosition + header.getLong(slot + CLAIM_LENGTH_OFFSET);
        final long tail = header.getLongVolatile(TAIL_POSITION_OFFSET);
        if (!RingLock.tryLock(header))
        {
            return false; // cannot read the consumer table consistently now: leave the slot for later
        }
        try
        {
            // A dead owner's intent that became a claim must be consumed (or unblocked and consumed) first.
            return end <= RingCleaner.oldestPosition(segment, System.currentTimeMillis()) || claimPosition >= tail;
        }
        finally
        {
            RingLock.unlock(header);
        }
    }

    static void release(final Segment segment, final int slotIndex)
    {
        if (segment.isClosed())
        {
            return;
        }
        final AtomicBuffer header = segment.buffer();
        final int slot = SegmentDescriptor.producerSlotOffset(slotIndex);
        header.putLongRelease(slot + CLAIM_POSITION_OFFSET, NO_CLAIM);
        final long token = ProcessIdentity.current().token();
        if ((header.getInt(slot + FLAGS_OFFSET) & FLAG_EXCLUSIVE) != 0)
        {
            // F23 CAS (exclusive word): free it if this process holds it.
            header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, token, 0);
        }
        // F16 CAS (free slot): only if we still own it.
        header.compareAndSetLong(slot + OWNER_TOKEN_OFFSET, token, 0);
    }
}

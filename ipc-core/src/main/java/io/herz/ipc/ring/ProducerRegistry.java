package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import static io.herz.ipc.segment.ProducerSlotDescriptor.*;

/**
 * Takes and frees producer slots (layout in {@link io.herz.ipc.segment.ProducerSlotDescriptor}). Slow path only:
 * registration scans the table and may ask the operating system whether a slot's owner is alive.
 * <p>
 * A slot is free when its owner token is 0, or when its owner process is gone <em>and</em> its last claim intent
 * lies wholly below the head (the consumer is past it, so nothing of the dead producer can still stall the ring).
 * A dead producer's slot whose intent still covers unconsumed positions is left alone until the consumer has
 * turned that record into padding; taking it earlier would hide the record's owner from the consumer.
 */
final class ProducerRegistry
{
    private ProducerRegistry()
    {
    }

    static int register(final Segment segment, final int producerId)
    {
        final AtomicBuffer header = segment.buffer();
        final ProcessIdentity self = ProcessIdentity.current();
        final long token = self.token();
        final int slots = segment.producerSlotCount();
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long owner = header.getLongAcquire(slot + OWNER_TOKEN_OFFSET);
            if (owner != 0 && !isReclaimable(header, slot, owner))
            {
                continue;
            }
            // F16 CAS (take slot): one owner per slot, identified by pid and start time in one word.
            // Pairs with the owner-token acquire loads of the consumer (RingUnblocker) and of other registrants.
            if (header.compareAndSetLong(slot + OWNER_TOKEN_OFFSET, owner, token))
            {
                header.putLongRelease(slot + CLAIM_POSITION_OFFSET, NO_CLAIM);
                header.putLong(slot + CLAIM_LENGTH_OFFSET, 0);
                header.putLong(slot + PID_OFFSET, self.pid());
                header.putLong(slot + START_TIME_OFFSET, self.startTimeMs());
                header.putInt(slot + PRODUCER_ID_OFFSET, producerId);
                header.putLongRelease(slot + RECORDS_OFFERED_OFFSET, 0);
                header.putLongRelease(slot + BYTES_OFFERED_OFFSET, 0);
                header.putLongRelease(slot + BACK_PRESSURE_COUNT_OFFSET, 0);
                // F17 release (heartbeat): also publishes the plain stores above to monitors.
                header.putLongRelease(slot + HEARTBEAT_OFFSET, System.currentTimeMillis());
                return i;
            }
            i--; // lost a race for this slot: look at it again
        }
        throw new SegmentException(segment.path(), "no free producer slot: expected fewer than " + slots +
            " live producers, found " + slots);
    }

    private static boolean isReclaimable(final AtomicBuffer header, final int slot, final long owner)
    {
        final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
        if (claimPosition != NO_CLAIM)
        {
            final long end = claimPosition + header.getLong(slot + CLAIM_LENGTH_OFFSET);
            final long head = header.getLongAcquire(SegmentDescriptor.HEAD_POSITION_OFFSET);
            final long tail = header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
            // An intent that became a claim must be consumed first; one above the tail never became a claim.
            if (end > head && claimPosition < tail)
            {
                return false;
            }
        }
        return !ProcessIdentity.isAlive(owner);
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
        // F16 CAS (free slot): only if we still own it.
        header.compareAndSetLong(slot + OWNER_TOKEN_OFFSET, ProcessIdentity.current().token(), 0);
    }
}

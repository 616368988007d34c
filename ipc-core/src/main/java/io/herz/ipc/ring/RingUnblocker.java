package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.RecordDescriptor.*;
import static io.herz.ipc.segment.ProducerSlotDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * Turns a record that stalls the head into padding when, and only when, no live process can still commit it
 * (guarantee 7). Runs on the consumer thread, from {@link RingConsumer#read}, when a read found nothing.
 * <p>
 * A stall is a head position that stays uncommitted (length &le; 0) while the tail is beyond it. After a grace
 * period of {@value #CHECK_INTERVAL_MS} ms, and then every {@value #CHECK_INTERVAL_MS} ms, the unblocker reads every
 * producer slot's claim intent (F11): a slot whose intent range {@code [claimPosition, claimPosition +
 * claimLength)} contains the head is a candidate owner. Then:
 * <ul>
 * <li>any candidate alive (pid and start time): wait, however long: a slow or stopped producer is never
 * unblocked;</li>
 * <li>candidates, all dead: unblock at once, up to the recorded length (F6) or else the smallest candidate end,
 * never past the end of the data area (the remainder, if any, is a new stall handled the same way);</li>
 * <li>no candidate (a producer no slot identifies): unblock after the unidentified-stall timeout, up to the
 * recorded length or else the next non-zero word, as Agrona's {@code ManyToOneRingBuffer.unblock()} does.</li>
 * </ul>
 * The padding is written with a CAS on the header word (F12), so a commit that races it wins and is delivered.
 */
final class RingUnblocker
{
    static final long CHECK_INTERVAL_MS = 1;
    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS);

    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final int capacity;
    private final int mask;
    private final int slotCount;
    private final long unidentifiedTimeoutNs;

    private long stallPosition = -1;
    private long stallSinceNs;
    private long nextCheckNs;

    RingUnblocker(final Segment segment, final long unidentifiedTimeoutNs)
    {
        this.header = segment.buffer();
        this.data = segment.dataBuffer();
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.slotCount = segment.producerSlotCount();
        this.unidentifiedTimeoutNs = unidentifiedTimeoutNs;
    }

    /**
     * @param head  the consumer position, where a read found nothing committed.
     * @param nowNs current time.
     * @return true if the head record was turned into padding.
     */
    boolean onEmpty(final long head, final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return false;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;

        // F10 acquire (tail): a tail beyond the head means the head position was claimed. Pairs with F5.
        final long tail = header.getLongAcquire(TAIL_POSITION_OFFSET);
        if (tail <= head)
        {
            stallPosition = -1;
            return false;
        }
        if (head != stallPosition)
        {
            stallPosition = head;
            stallSinceNs = nowNs;
            return false;
        }
        return analyse(head, tail, nowNs);
    }

    private boolean analyse(final long head, final long tail, final long nowNs)
    {
        final int headIndex = (int)head & mask;
        // F12 acquire (stalled header): the length the owner recorded at F6, if it got that far.
        final long word = data.getLongAcquire(headIndex);
        final int length = (int)word;
        if (length > 0)
        {
            return false; // committed meanwhile
        }

        int candidates = 0;
        long smallestEnd = Long.MAX_VALUE;
        for (int i = 0; i < slotCount; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long owner = header.getLongAcquire(slot + OWNER_TOKEN_OFFSET);
            if (owner == 0)
            {
                continue;
            }
            // F11 acquire (claim intent): pairs with F4; claimLength, stored before F4, is visible too.
            final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
            final long end = claimPosition + header.getLong(slot + CLAIM_LENGTH_OFFSET);
            if (claimPosition == NO_CLAIM || head < claimPosition || head >= end)
            {
                continue;
            }
            if (ProcessIdentity.isAlive(owner))
            {
                return false; // a live process may still commit this record: never unblock it
            }
            candidates++;
            smallestEnd = Math.min(smallestEnd, end);
        }

        if (candidates == 0 && nowNs - stallSinceNs < unidentifiedTimeoutNs)
        {
            return false;
        }
        final long end;
        if (length < 0)
        {
            end = head + BitUtil.align(-length, ALIGNMENT);
        }
        else if (candidates > 0)
        {
            end = Math.min(smallestEnd, tail);
        }
        else
        {
            end = scanForNextRecord(head, tail);
        }
        if (end <= head)
        {
            return false;
        }

        final int padding = (int)Math.min(end - head, capacity - headIndex);
        // F12 CAS (unblock): padding type and positive length replace exactly the header we inspected; a racing
        // commit (F7) makes this fail and wins. Pairs with F8 in RingConsumer.read().
        if (!data.compareAndSetLong(headIndex, word, headerWord(padding, PADDING_TYPE_ID)))
        {
            return false;
        }
        header.putLongRelease(UNBLOCKED_RECORDS_OFFSET, header.getLong(UNBLOCKED_RECORDS_OFFSET) + 1);
        header.putLongRelease(UNBLOCKED_BYTES_OFFSET, header.getLong(UNBLOCKED_BYTES_OFFSET) + padding);
        stallPosition = -1;
        return true;
    }

    /**
     * With no length recorded and no owner known, the record ends where the next non-zero header word starts
     * (consumed space is zeroed, so the first non-zero aligned word after the head is the next record). Returns -1
     * when every word up to the tail or the end of the data area is zero: a later claim may not have written its
     * header yet, and padding over it would lose it.
     */
    private long scanForNextRecord(final long head, final long tail)
    {
        final int headIndex = (int)head & mask;
        final long limit = Math.min(tail - head, capacity - headIndex);
        for (int offset = ALIGNMENT; offset < limit; offset += ALIGNMENT)
        {
            if (data.getIntAcquire(headIndex + offset) != 0)
            {
                return head + offset;
            }
        }
        return -1;
    }
}

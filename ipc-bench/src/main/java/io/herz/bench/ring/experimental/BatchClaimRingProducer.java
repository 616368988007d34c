package io.herz.bench.ring.experimental;

import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

import static io.herz.ipc.ring.RecordDescriptor.*;
import static io.herz.ipc.segment.ProducerSlotDescriptor.*;

/**
 * EXPERIMENTAL prototype of a batch claim for the Herz ring: one CAS on the tail claims a chunk of up to
 * {@code batchLength} bytes, which this producer then hands out record by record without touching any shared
 * line. It writes the same segment layout and record format, so the unchanged {@code RingConsumer} and
 * {@code RingUnblocker} read it. Differences from {@link RingProducer}, one per cost it removes:
 * <ul>
 * <li>one CAS (a full fence on x86, which drains the store buffer of the previous record's payload) per chunk
 * instead of per record; the claim intent (F4) covers the whole chunk, so a stall inside it still maps to this
 * slot;</li>
 * <li>no negative-length store (F6) at claim: claimed space is zero (the consumer zeroes before releasing), zero
 * already means "not yet committed", and commit writes the length and type as one 8-byte release store (F7);</li>
 * <li>the slot's records/bytes counters are published on flush and about every 1024 records instead of twice
 * per record.</li>
 * </ul>
 * Cost: the unused rest of a chunk blocks the records of other producers behind it until this producer fills it
 * or calls {@link #flush()}, which pads it. So the producer must flush when it goes idle (the benchmark's paced
 * producer does before it waits), and the chunk adapts: it starts at one record after a flush and doubles on every
 * refill while the producer stays busy, up to {@code batchLength}.
 * <p>
 * Registration and slot release reuse a real {@link RingProducer} (the registry is package-private in ipc-core);
 * that instance never claims. Not thread-safe: one thread.
 */
public final class BatchClaimRingProducer implements AutoCloseable
{
    /** The ring has no room for the record now. */
    public static final int BACK_PRESSURED = RingProducer.BACK_PRESSURED;

    private final RingProducer registration;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final int batchLength;
    private final int slotOffset;
    private final int claimPositionOffset;
    private final int claimLengthOffset;

    private long headCache;
    private int currentBatchLength = ALIGNMENT;
    private int batchIndex;
    private int batchLimit;
    private int claimedIndex = -1;
    private long claimedHeader;
    private long recordsOffered;
    private long recordsPublished;
    private long bytesOffered;
    private long backPressureCount;

    /**
     * @param segment     an open segment.
     * @param producerId  application id for monitors.
     * @param batchLength bytes claimed per CAS, a multiple of 8.
     */
    public BatchClaimRingProducer(final Segment segment, final int producerId, final int batchLength)
    {
        if (batchLength < ALIGNMENT || batchLength % ALIGNMENT != 0)
        {
            throw new IllegalArgumentException("batchLength must be a positive multiple of " + ALIGNMENT + ": found " +
                batchLength);
        }
        this.registration = new RingProducer(segment, producerId);
        this.header = segment.buffer();
        this.data = segment.dataBuffer();
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.maxRecordLength = segment.maxRecordLength();
        this.batchLength = batchLength;
        this.slotOffset = SegmentDescriptor.producerSlotOffset(registration.slotIndex());
        this.claimPositionOffset = slotOffset + CLAIM_POSITION_OFFSET;
        this.claimLengthOffset = slotOffset + CLAIM_LENGTH_OFFSET;
        this.headCache = header.getLongAcquire(SegmentDescriptor.HEAD_POSITION_OFFSET);
    }

    /**
     * @param typeId type, positive.
     * @param length payload bytes.
     * @return payload offset in {@link #buffer()}, or {@link #BACK_PRESSURED}.
     */
    public int tryClaim(final int typeId, final int length)
    {
        if (typeId < 1 || length < 0 || length > maxRecordLength || claimedIndex >= 0)
        {
            throw new IllegalArgumentException("bad claim: expected typeId > 0, length 0.." + maxRecordLength +
                " and no outstanding claim, found typeId=" + typeId + " length=" + length + " claimed=" + claimedIndex);
        }
        final int recordLength = length + HEADER_LENGTH;
        final int alignedLength = BitUtil.align(recordLength, ALIGNMENT);
        if (batchLimit - batchIndex < alignedLength && !claimBatch(alignedLength))
        {
            return BACK_PRESSURED;
        }
        final int recordIndex = batchIndex;
        batchIndex += alignedLength;
        claimedIndex = recordIndex;
        claimedHeader = headerWord(recordLength, typeId);
        return recordIndex + HEADER_LENGTH;
    }

    /**
     * @param index the offset {@link #tryClaim(int, int)} returned.
     */
    public void commit(final int index)
    {
        if (index - HEADER_LENGTH != claimedIndex)
        {
            throw new IllegalStateException("no outstanding claim at offset " + index);
        }
        // F7 release (commit): payload stores before it become visible before the positive length and type, written
        // as one word over zeroed space. Pairs with F8 in RingConsumer.read().
        data.putLongRelease(claimedIndex, claimedHeader);
        bytesOffered += (int)claimedHeader - HEADER_LENGTH;
        recordsOffered++;
        claimedIndex = -1;
    }

    /**
     * Pad the unused rest of the current chunk so records of other producers behind it are not held up, and start
     * the next chunk small again: a producer that goes idle claims record by record, one that stays busy doubles its
     * chunk on every refill up to {@code batchLength}.
     */
    public void flush()
    {
        if (batchIndex < batchLimit)
        {
            currentBatchLength = ALIGNMENT;
        }
        padRemainder();
        publishCounters();
    }

    private void padRemainder()
    {
        if (batchIndex < batchLimit)
        {
            // F7 release (commit padding): pairs with F8, which skips it.
            data.putLongRelease(batchIndex, headerWord(batchLimit - batchIndex, PADDING_TYPE_ID));
        }
        batchIndex = 0;
        batchLimit = 0;
    }

    private boolean claimBatch(final int alignedLength)
    {
        padRemainder();
        final int batchLength = this.currentBatchLength;
        this.currentBatchLength = Math.min(this.batchLength, batchLength * 2);
        final AtomicBuffer header = this.header;
        long tail;
        int padding;
        int chunk;
        do
        {
            // F2 acquire (tail): validated by the CAS below.
            tail = header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
            final int toEnd = capacity - ((int)tail & mask);
            // a record never straddles the end: pad to the end and start the chunk at offset 0
            padding = alignedLength > toEnd ? toEnd : 0;
            chunk = Math.max(alignedLength, padding != 0 ? batchLength : Math.min(batchLength, toEnd));
            long free = capacity - (tail - headCache);
            if (padding + chunk > free)
            {
                // F3 acquire (free space): the consumer zeroed everything below head. Pairs with F9.
                headCache = header.getLongAcquire(SegmentDescriptor.HEAD_POSITION_OFFSET);
                free = capacity - (tail - headCache);
                if (padding + alignedLength > free)
                {
                    return backPressured();
                }
                chunk = Math.min(chunk, (int)(free - padding));
            }
            header.putLong(claimLengthOffset, padding + chunk); // plain: published by F4
            // F4 release (claim intent): the whole chunk maps to this slot. Pairs with F11 in RingUnblocker.
            header.putLongRelease(claimPositionOffset, tail);
        }
        // F5 CAS (claim): exclusive ownership of [tail, tail + padding + chunk). Guarantee 1.
        while (!header.compareAndSetLong(SegmentDescriptor.TAIL_POSITION_OFFSET, tail, tail + padding + chunk));

        int index = (int)tail & mask;
        if (padding != 0)
        {
            // F7 release (commit padding): pairs with F8.
            data.putLongRelease(index, headerWord(padding, PADDING_TYPE_ID));
            index = 0;
        }
        batchIndex = index;
        batchLimit = index + chunk;
        if (recordsOffered - recordsPublished >= 1024)
        {
            publishCounters();
        }
        return true;
    }

    private boolean backPressured()
    {
        header.putLongRelease(claimPositionOffset, NO_CLAIM);
        header.putLongRelease(slotOffset + BACK_PRESSURE_COUNT_OFFSET, ++backPressureCount);
        return false;
    }

    private void publishCounters()
    {
        recordsPublished = recordsOffered;
        header.putLongRelease(slotOffset + RECORDS_OFFERED_OFFSET, recordsOffered);
        header.putLongRelease(slotOffset + BYTES_OFFERED_OFFSET, bytesOffered);
    }

    /**
     * @return the data area; claimed offsets index into it.
     */
    public AtomicBuffer buffer()
    {
        return data;
    }

    /**
     * Pad the rest of the chunk and free the producer slot.
     */
    public void close()
    {
        if (!registration.segment().isClosed())
        {
            flush();
        }
        registration.close();
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.segment.ProducerSlotDescriptor;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import static io.herz.ipc.ring.RecordDescriptor.*;
import static io.herz.ipc.segment.ProducerSlotDescriptor.*;

/**
 * The producing side of a Herz MPSC ring: one instance per producing thread. Any number of producer instances, in
 * any number of processes, may share one segment; each registers its own producer slot on construction and frees
 * it on {@link #close()}.
 * <p>
 * Zero-copy use: {@link #tryClaim(int, int)} reserves space and returns the offset of the payload in
 * {@link #buffer()}; the caller writes the payload there and then calls {@link #commit(int)} (deliver) or
 * {@link #abort(int)} (skip). A producer holds at most one claim at a time, which is what lets the consumer map a
 * stalled position to the process holding it. {@link #offer(int, DirectBuffer, int, int)} copies a payload in one
 * call. Neither allocates.
 * <p>
 * Not thread-safe: one thread per instance. Fence ids are listed in {@code package-info.java}.
 */
public final class RingProducer implements AutoCloseable
{
    /** The ring has no room for the record now; nothing was written. Try again later. */
    public static final int BACK_PRESSURED = -2;

    private static final int NO_CLAIM_INDEX = -1;
    private static final long HEARTBEAT_INTERVAL_MASK = 4095;
    private static final long COUNTER_PUBLISH_MASK = 63;

    private final Segment segment;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final int slotIndex;
    private final int slotOffset;
    private final int claimPositionOffset;
    private final int claimLengthOffset;

    private long headCache;
    private long lastClaimLength = -1;
    private int claimedIndex = NO_CLAIM_INDEX;
    private long recordsOffered;
    private long bytesOffered;
    private long backPressureCount;
    private boolean closed;

    /**
     * Register a producer on a segment.
     *
     * @param segment    an open segment.
     * @param producerId application-level id shown by monitors (e.g. {@code --producer-id}); -1 for none.
     * @throws SegmentException if every producer slot is held by a live producer.
     */
    public RingProducer(final Segment segment, final int producerId)
    {
        this.segment = segment;
        this.header = segment.buffer();
        this.data = segment.dataBuffer();
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.maxRecordLength = segment.maxRecordLength();
        this.slotIndex = ProducerRegistry.register(segment, producerId);
        this.slotOffset = SegmentDescriptor.producerSlotOffset(slotIndex);
        this.claimPositionOffset = slotOffset + CLAIM_POSITION_OFFSET;
        this.claimLengthOffset = slotOffset + CLAIM_LENGTH_OFFSET;
        this.headCache = header.getLongAcquire(SegmentDescriptor.HEAD_POSITION_OFFSET);
    }

    /**
     * Register a producer without an application id.
     *
     * @param segment an open segment.
     */
    public RingProducer(final Segment segment)
    {
        this(segment, -1);
    }

    /**
     * Claim space for one record.
     *
     * @param typeId type of the record, positive.
     * @param length payload bytes, 0 to {@link #maxRecordLength()}.
     * @return offset of the payload in {@link #buffer()}, or {@link #BACK_PRESSURED}.
     * @throws IllegalArgumentException for a bad type or length.
     * @throws IllegalStateException    if this producer already holds a claim or is closed.
     */
    public int tryClaim(final int typeId, final int length)
    {
        checkTypeId(typeId);
        checkLength(length);
        if (claimedIndex != NO_CLAIM_INDEX || closed || segment.isClosed())
        {
            throw new IllegalStateException(closed || segment.isClosed() ? "producer or its segment is closed: ring=" +
                segment.path() :
                "producer already holds a claim: expected commit or abort of offset " + (claimedIndex + HEADER_LENGTH));
        }

        final AtomicBuffer header = this.header;
        final int capacity = this.capacity;
        final int recordLength = length + HEADER_LENGTH;
        final int alignedLength = BitUtil.align(recordLength, ALIGNMENT);
        long tail;
        int padding;
        do
        {
            // F2 acquire (tail): start from the newest tail; the CAS below validates it. Pairs with F5.
            tail = header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
            final int toEnd = capacity - ((int)tail & mask);
            padding = alignedLength > toEnd ? toEnd : 0;
            final long required = alignedLength + padding;
            if (tail + required - headCache > capacity)
            {
                // F3 acquire (free space): the consumer zeroed everything below head before releasing it, and
                // those zeros are visible from here on, so the claimed space reads as free. Pairs with F9.
                headCache = header.getLongAcquire(SegmentDescriptor.HEAD_POSITION_OFFSET);
                if (tail + required - headCache > capacity)
                {
                    return backPressured();
                }
            }
            if (required != lastClaimLength)
            {
                lastClaimLength = required;
                header.putLong(claimLengthOffset, required); // plain: published by F4
            }
            // F4 release (claim intent): the consumer can map a stalled position in [tail, tail + required) to
            // this slot's process before the CAS makes the claim real. Pairs with F11 in RingUnblocker.
            header.putLongRelease(claimPositionOffset, tail);
        }
        // F5 CAS (claim): exclusive ownership of [tail, tail + required); at most one producer moves the tail from
        // a given value. Pairs with F5 of other producers, F2, and F10 in RingUnblocker. Guarantee 1.
        while (!header.compareAndSetLong(SegmentDescriptor.TAIL_POSITION_OFFSET, tail, tail + alignedLength + padding));

        int recordIndex = (int)tail & mask;
        if (padding != 0)
        {
            // F7 release (commit padding): positive length and padding type in one store. Pairs with F8.
            data.putLongRelease(recordIndex, headerWord(padding, PADDING_TYPE_ID));
            recordIndex = 0;
        }
        // F6 release (claimed): the negative length and the type, one 8-byte store, say "taken, not committed" and
        // how long. Pairs with F8 (which skips it) and F12 in RingUnblocker (which reads the length).
        data.putLongRelease(recordIndex, headerWord(-recordLength, typeId));
        claimedIndex = recordIndex;
        return recordIndex + HEADER_LENGTH;
    }

    /**
     * Deliver the claimed record.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     * @throws IllegalStateException if that is not the outstanding claim.
     */
    public void commit(final int index)
    {
        final int recordIndex = checkClaim(index);
        final int recordLength = -data.getInt(recordIndex); // own store from F6
        // F7 release (commit): every payload store before this becomes visible before the positive length.
        // Pairs with F8 in RingConsumer.read(). Guarantees 2 and 3.
        data.putIntRelease(recordIndex, recordLength);
        claimedIndex = NO_CLAIM_INDEX;
        countOffered(recordLength - HEADER_LENGTH);
    }

    /**
     * Give the claimed space back: the consumer skips it.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     * @throws IllegalStateException if that is not the outstanding claim.
     */
    public void abort(final int index)
    {
        final int recordIndex = checkClaim(index);
        final int recordLength = -data.getInt(recordIndex);
        // F7 release (commit as padding): pairs with F8, which skips padding.
        data.putLongRelease(recordIndex, headerWord(recordLength, PADDING_TYPE_ID));
        claimedIndex = NO_CLAIM_INDEX;
    }

    /**
     * Copy a record into the ring.
     *
     * @param typeId    type of the record, positive.
     * @param source    payload.
     * @param offset    of the payload in {@code source}.
     * @param length    of the payload, 0 to {@link #maxRecordLength()}.
     * @return true if written, false if back-pressured.
     */
    public boolean offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        final int index = tryClaim(typeId, length);
        if (index < 0)
        {
            return false;
        }
        data.putBytes(index, source, offset, length); // plain: published by F7 in commit()
        commit(index);
        return true;
    }

    /**
     * Record a heartbeat in this producer's slot. Called every 4096 records and on back-pressure; call it from an
     * idle duty cycle too so monitors see the producer is alive.
     *
     * @param nowMs epoch milliseconds.
     */
    public void heartbeat(final long nowMs)
    {
        publishCounters();
        // F17 release (heartbeat): monitors read it with acquire; an 8-byte aligned store is never torn.
        header.putLongRelease(slotOffset + HEARTBEAT_OFFSET, nowMs);
    }

    private int backPressured()
    {
        // No claim will follow this intent: withdraw it so a stale intent never hides a dead producer's record.
        header.putLongRelease(claimPositionOffset, NO_CLAIM);
        header.putLongRelease(slotOffset + BACK_PRESSURE_COUNT_OFFSET, ++backPressureCount);
        publishCounters();
        if ((backPressureCount & HEARTBEAT_INTERVAL_MASK) == 1)
        {
            heartbeat(System.currentTimeMillis());
        }
        return BACK_PRESSURED;
    }

    private void countOffered(final int payloadLength)
    {
        bytesOffered += payloadLength;
        if ((++recordsOffered & COUNTER_PUBLISH_MASK) == 0)
        {
            publishCounters();
            if ((recordsOffered & HEARTBEAT_INTERVAL_MASK) == 0)
            {
                heartbeat(System.currentTimeMillis());
            }
        }
    }

    /**
     * Publish this producer's record and byte counts to its slot for monitors. Done every 64 commits, on
     * back-pressure, on {@link #heartbeat(long)} and on {@link #close()}, not on every commit: the slot line then
     * takes two stores per 64 records instead of per record.
     */
    private void publishCounters()
    {
        header.putLongRelease(slotOffset + RECORDS_OFFERED_OFFSET, recordsOffered);
        header.putLongRelease(slotOffset + BYTES_OFFERED_OFFSET, bytesOffered);
    }

    private int checkClaim(final int index)
    {
        final int recordIndex = index - HEADER_LENGTH;
        if (recordIndex != claimedIndex || claimedIndex == NO_CLAIM_INDEX)
        {
            throw new IllegalStateException("no outstanding claim at offset " + index + ": expected " +
                (claimedIndex == NO_CLAIM_INDEX ? "none" : Integer.toString(claimedIndex + HEADER_LENGTH)));
        }
        return recordIndex;
    }

    private void checkLength(final int length)
    {
        if (length < 0 || length > maxRecordLength)
        {
            throw new IllegalArgumentException("record length out of range: expected 0.." + maxRecordLength +
                ", found " + length + " ring=" + segment.path());
        }
    }

    /**
     * @return the data area; claimed offsets index into it.
     */
    public AtomicBuffer buffer()
    {
        return data;
    }

    /**
     * @return largest payload in bytes.
     */
    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    /**
     * @return index of this producer's slot in the segment header.
     */
    public int slotIndex()
    {
        return slotIndex;
    }

    /**
     * @return records committed by this producer.
     */
    public long recordsOffered()
    {
        return recordsOffered;
    }

    /**
     * @return claims refused for lack of space.
     */
    public long backPressureCount()
    {
        return backPressureCount;
    }

    /**
     * @return the segment this producer writes to.
     */
    public Segment segment()
    {
        return segment;
    }

    /**
     * Abort an outstanding claim, if any, and free the producer slot. Idempotent. Does not close the segment.
     */
    public void close()
    {
        if (!closed)
        {
            if (claimedIndex != NO_CLAIM_INDEX)
            {
                abort(claimedIndex + HEADER_LENGTH);
            }
            if (!segment.isClosed())
            {
                publishCounters();
            }
            closed = true;
            ProducerRegistry.release(segment, slotIndex);
        }
    }

    public String toString()
    {
        return "RingProducer{ring=" + segment.path() + ", slot=" + slotIndex + ", pid=" +
            ProcessIdentity.current().pid() + "}";
    }
}

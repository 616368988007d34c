package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.RecordDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * The one consumer of a Herz MPSC ring. Constructing it claims the segment's consumer slot: a second live consumer
 * is refused with an error naming the holder's pid, and the slot of a consumer whose process is gone is taken over.
 * The consumer position (head) lives in the segment, so a new consumer resumes where the last one stopped.
 * <p>
 * Delivery rule across a consumer crash: at-least-once for the batch in flight, exactly-once for everything else.
 * A batch is the records one {@link #read(MessageHandler, int)} call hands to the handler. After the handler has
 * returned for every record of a batch, the consumer stores the batch's end as {@code pendingHeadPosition} (F13),
 * zeroes the batch and releases it (F9). A consumer that dies before F13 has its whole batch delivered again to
 * the next consumer; one that dies after F13 does not, and the next consumer finishes the release. Use
 * {@code limit = 1} for at-least-once on a single record.
 * <p>
 * A record stalled at the head (claimed, never committed) is handed to {@link RingUnblocker}, which turns it into
 * padding when its producer's process is gone, never while that process lives.
 * <p>
 * Not thread-safe: one thread.
 */
public final class RingConsumer implements AutoCloseable
{
    /** Default time after which a stalled record whose producer cannot be identified is unblocked. */
    public static final long DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static final long HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long HEARTBEAT_BATCH_MASK = 255;
    private static final long DEFAULT_EMPTY_POLL_CLOCK_MASK = 63;

    private final Segment segment;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final long token;
    private final RingUnblocker unblocker;
    private final NanoClock clock;
    private final long emptyPollClockMask;

    private CountersManager countersManager;
    private long headPosition;
    private long recordsConsumed;
    private long nextHeartbeatNs;
    private long batches;
    private long emptyPolls;
    private boolean closed;

    /**
     * Claim the consumer slot with the default stall timeout.
     *
     * @param segment an open segment.
     */
    public RingConsumer(final Segment segment)
    {
        this(segment, DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS, SystemNanoClock.INSTANCE, DEFAULT_EMPTY_POLL_CLOCK_MASK);
    }

    /**
     * Claim the consumer slot, with a clock of the caller's: it is consulted on every read that finds nothing (the
     * default constructor consults the system clock on every 64th such read only, which makes an empty poll cost a
     * few nanoseconds instead of a clock read).
     *
     * @param segment                    an open segment.
     * @param unidentifiedStallTimeoutNs how long a record whose producer no slot identifies may stall the ring
     *                                   before it is unblocked.
     * @param clock                      time source for stall detection and heartbeats.
     * @throws SegmentException if a live consumer holds the slot.
     */
    public RingConsumer(final Segment segment, final long unidentifiedStallTimeoutNs, final NanoClock clock)
    {
        this(segment, unidentifiedStallTimeoutNs, clock, 0);
    }

    private RingConsumer(
        final Segment segment, final long unidentifiedStallTimeoutNs, final NanoClock clock, final long clockMask)
    {
        this.emptyPollClockMask = clockMask;
        this.segment = segment;
        this.header = segment.buffer();
        this.data = segment.dataBuffer();
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.maxRecordLength = segment.maxRecordLength();
        this.clock = clock;
        this.token = claimSlot(segment);
        this.headPosition = finishPendingRelease();
        this.recordsConsumed = header.getLongAcquire(RECORDS_CONSUMED_OFFSET);
        this.unblocker = new RingUnblocker(segment, unidentifiedStallTimeoutNs);
        heartbeat(clock.nanoTime());
    }

    private static long claimSlot(final Segment segment)
    {
        final AtomicBuffer header = segment.buffer();
        final ProcessIdentity self = ProcessIdentity.current();
        final long token = self.token();
        while (true)
        {
            final long holder = header.getLongAcquire(CONSUMER_TOKEN_OFFSET);
            if (holder == token)
            {
                throw new SegmentException(segment.path(), "ring already has a live consumer in this process: " +
                    "expected none, found pid=" + self.pid());
            }
            if (holder != 0 && ProcessIdentity.isAlive(holder))
            {
                throw new SegmentException(segment.path(), "ring already has a live consumer: expected none, found pid=" +
                    ProcessIdentity.pidOf(holder));
            }
            // F15 CAS (consumer slot): one consumer at a time; a dead holder's token is replaced in the same step.
            if (header.compareAndSetLong(CONSUMER_TOKEN_OFFSET, holder, token))
            {
                header.putLong(CONSUMER_PID_OFFSET, self.pid());
                header.putLong(CONSUMER_START_TIME_OFFSET, self.startTimeMs());
                return token;
            }
        }
    }

    /**
     * A consumer that died after F13 delivered its batch but may not have zeroed and released it: do that now.
     */
    private long finishPendingRelease()
    {
        final long head = header.getLongAcquire(HEAD_POSITION_OFFSET);
        // F14 acquire (restart marker): pairs with F13 of the previous consumer.
        final long pending = header.getLongAcquire(PENDING_HEAD_POSITION_OFFSET);
        if (pending > head)
        {
            final int headIndex = (int)head & mask;
            final long length = pending - head;
            if (length > capacity - headIndex)
            {
                throw new SegmentException(segment.path(), "corrupt pendingHeadPosition: expected at most " +
                    (head + capacity - headIndex) + ", found " + pending + " head=" + head);
            }
            data.setMemory(headIndex, (int)length, (byte)0); // plain: published by F9
            header.putLongRelease(HEAD_POSITION_OFFSET, pending); // F9 release, pairs with F3
            return pending;
        }
        return head;
    }

    /**
     * Deliver up to {@code limit} committed records, in ring order, to the handler. Stops early at the first record
     * not yet committed and at the end of the data area (the next call continues from the start). Allocates
     * nothing. Consumed bytes are released even when the handler throws; the throwing record counts as delivered.
     *
     * @param handler gets {@code (typeId, buffer, offset, length)} for each record; must not keep the buffer.
     * @param limit   most records to deliver.
     * @return number of records delivered.
     * @throws SegmentException if a record header is corrupt (impossible length or type); the ring cannot continue.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        if (segment.isClosed())
        {
            throw new IllegalStateException("segment is closed: ring=" + segment.path());
        }
        final long head = headPosition;
        final int count = readContiguous(handler, limit, head);
        if (count == 0)
        {
            final long newHead = headPosition;
            if (newHead == head)
            {
                onEmpty(head);
            }
            else if (((int)newHead & mask) == 0)
            {
                // Only padding up to the end of the data area: go on from the start, so that a 0 still means
                // "nothing committed" to the caller's idle strategy.
                return readContiguous(handler, limit, newHead);
            }
        }
        return count;
    }

    private int readContiguous(final MessageHandler handler, final int limit, final long head)
    {
        final AtomicBuffer data = this.data;
        final int headIndex = (int)head & mask;
        final int contiguous = capacity - headIndex;
        int bytesRead = 0;
        int count = 0;
        try
        {
            while (bytesRead < contiguous && count < limit)
            {
                final int recordIndex = headIndex + bytesRead;
                // F8 acquire (observe commit): a positive length makes the type and payload stores before F7
                // visible. Pairs with F7 in RingProducer.commit()/abort()/padding and F12 in RingUnblocker.
                final int recordLength = data.getIntAcquire(recordIndex);
                if (recordLength <= 0)
                {
                    break;
                }
                final int typeId = data.getInt(recordIndex + TYPE_OFFSET);
                checkRecord(head + bytesRead, recordLength, typeId, contiguous - bytesRead);
                bytesRead += BitUtil.align(recordLength, ALIGNMENT);
                if (typeId == PADDING_TYPE_ID)
                {
                    continue;
                }
                ++count;
                handler.onMessage(typeId, data, recordIndex + HEADER_LENGTH, recordLength - HEADER_LENGTH);
            }
        }
        finally
        {
            if (bytesRead > 0)
            {
                release(head, headIndex, bytesRead, count);
            }
        }
        return count;
    }

    /**
     * Deliver every committed record up to the end of the data area.
     *
     * @param handler gets each record.
     * @return number of records delivered.
     */
    public int read(final MessageHandler handler)
    {
        return read(handler, Integer.MAX_VALUE);
    }

    private void release(final long head, final int headIndex, final int bytesRead, final int count)
    {
        final long newHead = head + bytesRead;
        // F13 release (restart marker): from here on this batch counts as delivered; a successor consumer finishes
        // the release instead of delivering it again. Pairs with F14 in finishPendingRelease().
        header.putLongRelease(PENDING_HEAD_POSITION_OFFSET, newHead);
        data.setMemory(headIndex, bytesRead, (byte)0); // plain: published by F9
        // F9 release (free space): producers that see the new head (F3) also see the zeros. Guarantee 4.
        header.putLongRelease(HEAD_POSITION_OFFSET, newHead);
        headPosition = newHead;
        if (count > 0)
        {
            recordsConsumed += count;
            header.putLongRelease(RECORDS_CONSUMED_OFFSET, recordsConsumed);
        }
        if ((++batches & HEARTBEAT_BATCH_MASK) == 0)
        {
            final long nowNs = clock.nanoTime(); // a consumer that never finds the ring empty still beats
            if (nowNs - nextHeartbeatNs >= 0)
            {
                heartbeat(nowNs);
            }
        }
    }

    private void checkRecord(final long position, final int recordLength, final int typeId, final int contiguous)
    {
        final int limit = typeId == PADDING_TYPE_ID ? contiguous : Math.min(contiguous, maxRecordLength + HEADER_LENGTH);
        // Bound the unaligned length first: it is what maxRecordLength limits (an aligned maximum-length record may
        // exceed maxRecordLength + 8), and aligning a corrupt length near Integer.MAX_VALUE would overflow. Once it
        // is bounded, align() is safe and keeps the aligned record inside the data area.
        if (recordLength < HEADER_LENGTH || recordLength > limit ||
            BitUtil.align(recordLength, ALIGNMENT) > contiguous || (typeId < 1 && typeId != PADDING_TYPE_ID))
        {
            throw new SegmentException(segment.path(), "corrupt record header: expected length " + HEADER_LENGTH + ".." +
                limit + " and type > 0 or " + PADDING_TYPE_ID + ", found length=" + recordLength + " type=" + typeId +
                " position=" + position + " offset=" + ((int)position & mask));
        }
    }

    private void onEmpty(final long head)
    {
        // Stall checks and heartbeats work in milliseconds: look at the clock on every 64th empty poll only, so an
        // empty poll costs a few ns instead of a clock read (68-148 ns on this class of machine).
        if ((++emptyPolls & emptyPollClockMask) != 0)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        if (nowNs - nextHeartbeatNs >= 0)
        {
            heartbeat(nowNs);
        }
        unblocker.onEmpty(head, nowNs);
    }

    private void heartbeat(final long nowNs)
    {
        nextHeartbeatNs = nowNs + HEARTBEAT_INTERVAL_NS;
        header.putLongRelease(CONSUMER_HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    /**
     * The segment's named counters belong to its consumer: the first call clears the region (counters of a previous
     * consumer are discarded) and returns a manager for allocating this consumer's counters, e.g. rejected
     * messages or late events, which monitors read with {@link Segment#countersReader()}. Not for the hot path.
     *
     * @return the counters manager of this consumer.
     */
    public CountersManager countersManager()
    {
        if (countersManager == null)
        {
            final AtomicBuffer metadata = segment.countersMetadataBuffer();
            final AtomicBuffer values = segment.countersValuesBuffer();
            values.setMemory(0, values.capacity(), (byte)0);
            metadata.setMemory(0, metadata.capacity(), (byte)0);
            countersManager = new CountersManager(metadata, values);
        }
        return countersManager;
    }

    /**
     * @return the consumer position: bytes consumed since the ring was created.
     */
    public long position()
    {
        return headPosition;
    }

    /**
     * @return records delivered by every consumer of this segment so far.
     */
    public long recordsConsumed()
    {
        return recordsConsumed;
    }

    /**
     * @return records turned into padding because their producer died before committing.
     */
    public long unblockedRecords()
    {
        return header.getLongAcquire(UNBLOCKED_RECORDS_OFFSET);
    }

    /**
     * @return bytes committed but not yet consumed, including records not yet committed.
     */
    public long lag()
    {
        return header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET) - headPosition;
    }

    /**
     * @return the segment this consumer reads.
     */
    public Segment segment()
    {
        return segment;
    }

    /**
     * Free the consumer slot so another consumer can take it at once. Idempotent. Does not close the segment.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!segment.isClosed())
            {
                // F15 CAS (consumer slot): only if we still hold it.
                header.compareAndSetLong(CONSUMER_TOKEN_OFFSET, token, 0);
            }
        }
    }

    public String toString()
    {
        return "RingConsumer{ring=" + segment.path() + ", position=" + headPosition + "}";
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.ConsumerSlotDescriptor.*;
import static io.herz.ipc.ring.RecordDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * One named consumer of a Herz ring (layout version 3). A ring may have up to 16 consumer names; every name sees
 * every record, and the slowest registered name holds the producers back (guarantee 9). Constructing a consumer
 * attaches this process to its name ({@link RingConsumers}): a second live process for the same name is refused
 * with an error naming the holder's pid; the name of a process that is gone is taken over, and the new process
 * resumes at the name's position. A name not yet registered joins at the tail or at the oldest record still held.
 * <p>
 * Delivery rule across a consumer crash: at-least-once for the batch in flight, exactly-once for everything else.
 * A batch is the records one {@link #read(MessageHandler, int)} call hands to the handler. After the handler has
 * returned for every record of a batch, the consumer stores the batch's end as its position (F9): one release store
 * per batch, in its own slot. A consumer that dies before F9 has its whole batch delivered again to the next
 * process of its name. Use {@code limit = 1} for at-least-once on a single record.
 * <p>
 * A consumer only reads: it never zeroes what it read (producers clean ahead in bulk, see {@link RingCleaner}), so
 * no data line is pulled back from it. It reads a header at a position only below {@code cleanPosition} (F19, read
 * once per cleaned chunk), which makes bytes of an earlier lap impossible to mistake for a record.
 * <p>
 * A record stalled at its position (claimed, never committed) is handed to {@link RingUnblocker}, which turns it
 * into padding when its producer's process is gone, never while that process lives.
 * <p>
 * Not thread-safe: one thread.
 */
public final class RingConsumer implements AutoCloseable
{
    /** Default time after which a stalled record whose producer cannot be identified is unblocked. */
    public static final long DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** Name of the consumer the constructors without a name attach to. */
    public static final String DEFAULT_NAME = "default";

    private static final long HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long HEARTBEAT_BATCH_MASK = 255;
    private static final long DEFAULT_EMPTY_POLL_CLOCK_MASK = 63;

    private final Segment segment;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final String name;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final int slotIndex;
    private final int positionOffset;
    private final int recordsConsumedOffset;
    private final int heartbeatOffset;
    private final RingUnblocker unblocker;
    private final NanoClock clock;
    private final long emptyPollClockMask;

    private CountersManager countersManager;
    private long position;
    private long cleanCache;
    private long recordsConsumed;
    private long nextHeartbeatNs;
    private long batches;
    private long emptyPolls;
    private boolean closed;

    /**
     * Attach to the consumer name {@value #DEFAULT_NAME} (joining at the oldest record still held if new), with the
     * default stall timeout.
     *
     * @param segment an open segment.
     */
    public RingConsumer(final Segment segment)
    {
        this(segment, DEFAULT_NAME, RingConsumers.StartPosition.OLDEST, 0, DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS,
            SystemNanoClock.INSTANCE, DEFAULT_EMPTY_POLL_CLOCK_MASK);
    }

    /**
     * Attach to the consumer name {@value #DEFAULT_NAME}, with a clock of the caller's: it is consulted on every read
     * that finds nothing (the default constructor consults the system clock on every 64th such read only).
     *
     * @param segment                    an open segment.
     * @param unidentifiedStallTimeoutNs how long a record whose producer no slot identifies may stall the ring
     *                                   before it is unblocked.
     * @param clock                      time source for stall detection and heartbeats.
     * @throws SegmentException if a live process holds the name.
     */
    public RingConsumer(final Segment segment, final long unidentifiedStallTimeoutNs, final NanoClock clock)
    {
        this(segment, DEFAULT_NAME, RingConsumers.StartPosition.OLDEST, 0, unidentifiedStallTimeoutNs, clock, 0);
    }

    /**
     * Attach to a named consumer, registering the name if new.
     *
     * @param segment an open segment.
     * @param name    consumer name: 1..64 printable US-ASCII characters.
     * @param start   where a new name starts; ignored for a registered name, which resumes at its position.
     * @throws SegmentException if a live process holds the name or every consumer slot is taken.
     */
    public RingConsumer(final Segment segment, final String name, final RingConsumers.StartPosition start)
    {
        this(segment, name, start, 0, DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS, SystemNanoClock.INSTANCE,
            DEFAULT_EMPTY_POLL_CLOCK_MASK);
    }

    /**
     * Attach to a named consumer with every setting.
     *
     * @param segment                    an open segment.
     * @param name                       consumer name: 1..64 printable US-ASCII characters.
     * @param start                      where a new name starts.
     * @param dropAfterMs                0: the name holds the ring for ever when its process is gone (default);
     *                                   else producers drop the name after this long without a live process (counted
     *                                   in {@code droppedConsumers}).
     * @param unidentifiedStallTimeoutNs how long a record whose producer no slot identifies may stall.
     * @param clock                      time source for stall detection and heartbeats, consulted on every empty read.
     */
    public RingConsumer(
        final Segment segment,
        final String name,
        final RingConsumers.StartPosition start,
        final long dropAfterMs,
        final long unidentifiedStallTimeoutNs,
        final NanoClock clock)
    {
        this(segment, name, start, dropAfterMs, unidentifiedStallTimeoutNs, clock, 0);
    }

    private RingConsumer(
        final Segment segment,
        final String name,
        final RingConsumers.StartPosition start,
        final long dropAfterMs,
        final long unidentifiedStallTimeoutNs,
        final NanoClock clock,
        final long clockMask)
    {
        this(segment, name, start, dropAfterMs, unidentifiedStallTimeoutNs, clock, clockMask, segment.buffer(),
            segment.dataBuffer());
    }

    /**
     * For the access-sequence test only: the same consumer over buffers that view the segment's memory (a recording
     * buffer), so that the access modes of read and release can be asserted one by one.
     */
    RingConsumer(
        final Segment segment,
        final String name,
        final RingConsumers.StartPosition start,
        final long dropAfterMs,
        final long unidentifiedStallTimeoutNs,
        final NanoClock clock,
        final long clockMask,
        final AtomicBuffer header,
        final AtomicBuffer data)
    {
        this.emptyPollClockMask = clockMask;
        this.segment = segment;
        this.header = header;
        this.data = data;
        this.name = name;
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.maxRecordLength = segment.maxRecordLength();
        this.clock = clock;
        this.slotIndex = RingConsumers.attach(segment, name, start, dropAfterMs);
        final int slot = SegmentDescriptor.consumerSlotOffset(slotIndex);
        this.positionOffset = slot + POSITION_OFFSET;
        this.recordsConsumedOffset = slot + RECORDS_CONSUMED_OFFSET;
        this.heartbeatOffset = slot + HEARTBEAT_OFFSET;
        this.position = header.getLongVolatile(positionOffset);
        this.recordsConsumed = header.getLongVolatile(recordsConsumedOffset);
        this.cleanCache = position;
        this.unblocker = new RingUnblocker(segment, unidentifiedStallTimeoutNs);
        heartbeat(clock.nanoTime());
    }

    /**
     * Deliver up to {@code limit} committed records, in ring order, to the handler. Stops early at the first record
     * not yet committed and at the end of the data area (the next call continues from the start). Allocates
     * nothing. Read records are released even when the handler throws; the throwing record counts as delivered.
     *
     * @param handler gets {@code (typeId, buffer, offset, length)} for each record; must not keep the buffer.
     * @param limit   most records to deliver.
     * @return number of records delivered.
     * @throws SegmentException      if a record header or a position is corrupt; the ring cannot continue.
     * @throws IllegalStateException if this consumer or its segment is closed.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        if (segment.isClosed())
        {
            throw new IllegalStateException("segment is closed: ring=" + segment.path());
        }
        if (closed)
        {
            throw new IllegalStateException("consumer is closed: ring=" + segment.path());
        }
        final long head = position;
        final int count = readContiguous(handler, limit, head);
        if (count == 0)
        {
            final long newHead = position;
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
        long clean = cleanCache;
        int bytesRead = 0;
        int count = 0;
        try
        {
            while (bytesRead < contiguous && count < limit)
            {
                if (head + bytesRead >= clean)
                {
                    clean = refreshClean(head);
                    if (head + bytesRead >= clean)
                    {
                        break;
                    }
                }
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
                release(head + bytesRead, count);
            }
        }
        return count;
    }

    private long refreshClean(final long head)
    {
        // F19 acquire (clean position): the cleaning of every position below it, for this lap, is visible, so a
        // header read below it is this lap's clean word (free or claimed) or committed in this lap, never a byte of
        // an earlier lap. Read once
        // per cleaned chunk, not per record. Pairs with F21 in RingCleaner.
        final long clean = header.getLongAcquire(CLEAN_POSITION_OFFSET);
        if (clean - head > capacity)
        {
            throw new SegmentException(segment.path(), "corrupt cleanPosition: expected at most " + (head + capacity) +
                ", found " + clean + " consumer=" + name + " position=" + head);
        }
        cleanCache = clean;
        return clean;
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

    private void release(final long newPosition, final int count)
    {
        // F9 release (consumer position): from here on the batch counts as delivered to this name (the restart
        // rule), and a cleaning producer that acquires it (F3) may clean the space below it: every read of it
        // happened before. One store per batch. Guarantees 4 and 8.
        header.putLongRelease(positionOffset, newPosition);
        position = newPosition;
        if (count > 0)
        {
            recordsConsumed += count;
            header.putLongRelease(recordsConsumedOffset, recordsConsumed); // own slot: for monitors
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
        // is bounded, align() is safe and keeps the aligned record inside the data area and below cleanPosition.
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
        // empty poll costs a few ns instead of a clock read.
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
        header.putLongRelease(heartbeatOffset, System.currentTimeMillis());
    }

    /**
     * The segment's named counters belong to its consumers: the first call clears the region (counters of a
     * previous consumer are discarded) and returns a manager for allocating this consumer's counters, e.g. rejected
     * messages or late events, which monitors read with {@link Segment#countersReader()}. With several consumer
     * names (fan-out) the region belongs to the consumer in slot 0 (the first name to join); the others are refused
     * with an {@link IllegalStateException}, and the transport seam gives them counters of their own instead. Not for
     * the hot path.
     *
     * @return the counters manager of this consumer.
     * @throws IllegalStateException for a consumer that is not in slot 0.
     */
    public CountersManager countersManager()
    {
        if (0 != slotIndex())
        {
            // Agrona's CountersManager assumes it alone allocates in its buffers: two consumers of one ring (fan-out)
            // each clearing and allocating in the shared region would overwrite and free each other's counters.
            throw new IllegalStateException("the counters region of " + segment.path() + " belongs to the consumer " +
                "in slot 0; consumer '" + name + "' is in slot " + slotIndex());
        }
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
     * @return the consumer position: bytes read and released since the ring was created.
     */
    public long position()
    {
        return position;
    }

    /**
     * @return the consumer name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return index of this consumer's slot.
     */
    public int slotIndex()
    {
        return slotIndex;
    }

    /**
     * @return records delivered to this consumer name so far, across its processes.
     */
    public long recordsConsumed()
    {
        return recordsConsumed;
    }

    /**
     * @return records turned into padding (by any consumer) because their producer died before committing.
     */
    public long unblockedRecords()
    {
        return header.getLongAcquire(UNBLOCKED_RECORDS_OFFSET);
    }

    /**
     * @return bytes claimed but not yet read by this consumer, including records not yet committed.
     */
    public long lag()
    {
        return header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET) - position;
    }

    /**
     * @return liveness probes of producer processes this consumer's stall checks made (for tests).
     */
    long livenessProbes()
    {
        return unblocker.livenessProbes();
    }

    /**
     * @return the segment this consumer reads.
     */
    public Segment segment()
    {
        return segment;
    }

    /**
     * Detach this process from the consumer name so another process can take it at once. The name stays
     * registered and keeps holding the ring at its position (see {@link RingConsumers}). Idempotent. Does not close
     * the segment.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!segment.isClosed())
            {
                RingConsumers.detach(segment, slotIndex);
            }
        }
    }

    public String toString()
    {
        return "RingConsumer{ring=" + segment.path() + ", name=" + name + ", position=" + position + "}";
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import static io.herz.ipc.ring.ProducerSlotDescriptor.*;
import static io.herz.ipc.ring.RecordDescriptor.*;

/**
 * The producing side of a Herz ring (layout version 3): one instance per producing thread. Any number of shared
 * producers, in any number of processes, may share one segment; each registers its own producer slot on
 * construction and frees it on {@link #close()}. An <em>exclusive</em> producer ({@link #exclusive(Segment, int)})
 * is the only producer of its ring: it claims without a CAS on the tail, and any other producer is refused with an
 * error naming the holder (guarantee 10).
 * <p>
 * Zero-copy use: {@link #tryClaim(int, int)} reserves space and returns the offset of the payload in
 * {@link #buffer()}; the caller writes the payload there and then calls {@link #commit(int)} (deliver) or
 * {@link #abort(int)} (skip). Several records at once: {@link #tryClaimBatch(int)}, then {@link #append(int, int)}
 * per record and one {@link #commitBatch()}: one tail CAS and one commit per batch. A producer holds at most one
 * claim or batch at a time, which is what lets a consumer map a stalled position to the process holding it.
 * {@link #offer(int, DirectBuffer, int, int)} copies a payload in one call. None of them allocates.
 * <p>
 * A shared producer's claim goes through these steps (fence ids in {@code package-info.java}):
 * <ol>
 * <li>the space must be clean: a claim never passes {@code cleanPosition} (F20); past it, this producer cleans the
 * next chunk itself ({@link RingCleaner}) if every consumer has released it, else it is back-pressured;</li>
 * <li>intent (F4): the range it is about to claim, in its own slot;</li>
 * <li>the tail CAS (F5);</li>
 * <li>the winner's record (F24): {@code claimedPosition = claimPosition}, so a consumer tells an intent that won
 * from a stale one that lost.</li>
 * </ol>
 * The claim writes nothing in the data area (but the padding to the end of it, when the record does not fit before
 * it: F6, a CAS from the clean word, committed at once): the record's header still holds the clean word of its lap.
 * Commit and abort go from exactly that clean word to the committed word by CAS (F7). When the word is no longer
 * the clean word, a consumer found this producer dead and turned the claim into padding: the record is lost,
 * {@link #commit(int)} returns false and the slot's {@code lostClaims} counts it. The clean word carries the lap
 * number, so that CAS cannot succeed on a later lap's space at the same offset either. A failed commit that finds
 * neither padding nor a tail a lap beyond the claim found stale or corrupt bytes where clean space was promised:
 * {@link SegmentException}.
 * <p>
 * An exclusive producer claims and commits with no locked instruction at all, as Agrona's
 * {@code OneToOneRingBuffer} does: a claim stores only its intent (F4) in its own slot; the commit writes the
 * headers, the claim's first word last (the <em>gate</em>, F28 release: the record header, the batch's first header,
 * or the padding to the end of the data area when the claim wraps), then the tail (F5x release). No consumer reads
 * past a gate that is still clean, so a claim in flight is never visible: there is nothing to unblock, a commit is
 * never lost, and a dead exclusive producer's claim is resolved by the next producer to register
 * ({@code ProducerRegistry}, F29): rolled forward when its gate landed, cleaned again when not.
 * <p>
 * Not thread-safe: one thread per instance.
 */
public final class RingProducer implements AutoCloseable
{
    /** The ring has no room for the record now; nothing was written. Try again later. */
    public static final int BACK_PRESSURED = -2;
    /** {@link #append(int, int)}: the record does not fit in the rest of the batch; commit the batch first. */
    public static final int BATCH_FULL = -3;

    /**
     * Heartbeat interval: a producer that offers, is back-pressured, or idles through {@link #heartbeatIfDue()}
     * (its publication's {@code keepAlive()}) stores a heartbeat when the last one is this old.
     */
    public static final long HEARTBEAT_INTERVAL_MS = 1000;

    private static final int NO_CLAIM_INDEX = -1;
    private static final long COUNTER_PUBLISH_MASK = 63;
    /** 64 records that took at least this long: a paced producer, which reads the clock on every record. */
    private static final long PACED_COUNT_MS = HEARTBEAT_INTERVAL_MS / 4;
    private static final int MAX_CONSECUTIVE_LOST = 64;

    private final Segment segment;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final RingCleaner cleaner;
    private final int capacity;
    private final int mask;
    private final int capacityShift;
    private final int maxRecordLength;
    private final int maxBatchLength;
    private final boolean exclusive;
    private final int slotIndex;
    private final int slotOffset;
    private final int claimPositionOffset;
    private final int claimLengthOffset;
    private final int claimedPositionOffset;
    private final EpochClock clock;

    private long cleanThreshold;
    private long exclusiveTail;
    private long lastClaimLength = -1;
    private int claimedIndex = NO_CLAIM_INDEX;
    private long claimedPosition;
    private int claimedRecordLength;
    private int claimedTypeId;
    private int exclusivePadding;
    private long exclusiveRequired;
    private int batchLength;
    private int batchUsed;
    private int batchRecords;
    private long batchBytes;
    private long batchFirstWord;
    private int lastAppendUsed = -1;
    private int lastAppendLength;
    private long recordsOffered;
    private long bytesOffered;
    private long backPressureCount;
    private long lostClaims;
    private int consecutiveLost;
    private long lastHeartbeatMs;
    private long lastCountCheckMs;
    private boolean paced = true;
    private boolean closed;

    /**
     * Register a shared producer on a segment.
     *
     * @param segment    an open segment.
     * @param producerId application-level id shown by monitors (e.g. {@code --producer-id}); -1 for none.
     * @throws SegmentException if every producer slot is held by a live producer, or an exclusive producer holds
     *                          the ring.
     */
    public RingProducer(final Segment segment, final int producerId)
    {
        this(segment, producerId, false);
    }

    /**
     * Register a shared producer without an application id.
     *
     * @param segment an open segment.
     */
    public RingProducer(final Segment segment)
    {
        this(segment, -1, false);
    }

    private RingProducer(final Segment segment, final int producerId, final boolean exclusive)
    {
        this(segment, producerId, exclusive, segment.buffer(), segment.dataBuffer());
    }

    /**
     * For the access-sequence test only: the same producer over buffers that view the segment's memory (a
     * recording buffer), so that the access modes of claim, commit and abort can be asserted one by one.
     */
    RingProducer(
        final Segment segment,
        final int producerId,
        final boolean exclusive,
        final AtomicBuffer header,
        final AtomicBuffer data)
    {
        this(segment, producerId, exclusive, header, data, SystemEpochClock.INSTANCE);
    }

    /**
     * For tests: a producer whose heartbeats read {@code clock} (a controllable one) instead of the wall clock.
     */
    RingProducer(
        final Segment segment,
        final int producerId,
        final boolean exclusive,
        final AtomicBuffer header,
        final AtomicBuffer data,
        final EpochClock clock)
    {
        this.segment = segment;
        this.clock = clock;
        this.header = header;
        this.data = data;
        this.cleaner = new RingCleaner(segment);
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.maxRecordLength = segment.maxRecordLength();
        this.maxBatchLength = SegmentDescriptor.maxRecordLengthLimit(capacity) + HEADER_LENGTH;
        this.exclusive = exclusive;
        this.slotIndex = ProducerRegistry.register(segment, producerId, exclusive);
        this.slotOffset = SegmentDescriptor.producerSlotOffset(slotIndex);
        this.claimPositionOffset = slotOffset + CLAIM_POSITION_OFFSET;
        this.claimLengthOffset = slotOffset + CLAIM_LENGTH_OFFSET;
        this.claimedPositionOffset = slotOffset + CLAIMED_POSITION_OFFSET;
        this.exclusiveTail = checkTail(header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET));
        final long clean = header.getLongAcquire(SegmentDescriptor.CLEAN_POSITION_OFFSET); // F20, as in refreshClean
        checkClean(clean, exclusiveTail);
        this.cleanThreshold = Math.max(exclusiveTail, clean - cleaner.margin());
        // Registration stored a first heartbeat (F17 in ProducerRegistry); store this producer's own clock's.
        heartbeat(clock.time());
        this.lastCountCheckMs = lastHeartbeatMs;
    }

    /**
     * Register the exclusive producer of a ring: it claims without a CAS on the tail. Refused while any other
     * producer (shared or exclusive) of a live process holds a slot; while it lives, every other producer is refused.
     *
     * @param segment    an open segment.
     * @param producerId application-level id shown by monitors; -1 for none.
     * @return the producer.
     * @throws SegmentException naming the holder when the ring has another live producer.
     */
    public static RingProducer exclusive(final Segment segment, final int producerId)
    {
        return new RingProducer(segment, producerId, true);
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
        checkNoClaim();
        final int recordLength = length + HEADER_LENGTH;
        final int recordIndex = claim(BitUtil.align(recordLength, ALIGNMENT), recordLength);
        if (recordIndex < 0)
        {
            return recordIndex;
        }
        claimedTypeId = typeId;
        return recordIndex + HEADER_LENGTH;
    }

    /**
     * Claim {@code length} contiguous bytes (aligned) for several records, with one tail CAS. Fill it with
     * {@link #append(int, int)} and publish it with one {@link #commitBatch()}; the unused rest becomes padding.
     * While a batch is open, records of other producers behind it wait for its commit: commit before going idle.
     *
     * @param length bytes to reserve, headers included: 8 to a quarter of the capacity.
     * @return the bytes reserved (the length aligned to 8), or {@link #BACK_PRESSURED}.
     * @throws IllegalArgumentException for a bad length.
     * @throws IllegalStateException    if this producer already holds a claim or is closed.
     */
    public int tryClaimBatch(final int length)
    {
        if (length < HEADER_LENGTH || length > maxBatchLength)
        {
            throw new IllegalArgumentException("batch length out of range: expected " + HEADER_LENGTH + ".." +
                maxBatchLength + ", found " + length + " ring=" + segment.path());
        }
        checkNoClaim();
        final int aligned = BitUtil.align(length, ALIGNMENT);
        final int recordIndex = claim(aligned, aligned);
        if (recordIndex < 0)
        {
            return recordIndex;
        }
        batchLength = aligned;
        batchUsed = 0;
        batchRecords = 0;
        batchBytes = 0;
        lastAppendUsed = -1;
        return aligned;
    }

    /**
     * Add one record to the open batch. Its header is written now with a plain store; it becomes visible with the
     * batch, through the release of {@link #commitBatch()}.
     *
     * @param typeId type of the record, positive.
     * @param length payload bytes, 0 to {@link #maxRecordLength()}.
     * @return offset of the payload in {@link #buffer()}, or {@link #BATCH_FULL}.
     * @throws IllegalStateException if no batch is open.
     */
    public int append(final int typeId, final int length)
    {
        checkTypeId(typeId);
        checkLength(length);
        if (batchLength == 0)
        {
            throw new IllegalStateException("no open batch: expected tryClaimBatch first ring=" + segment.path());
        }
        final int recordLength = length + HEADER_LENGTH;
        final int aligned = BitUtil.align(recordLength, ALIGNMENT);
        if (aligned > batchLength - batchUsed)
        {
            return BATCH_FULL;
        }
        final int recordIndex = claimedIndex + batchUsed;
        if (batchUsed == 0)
        {
            batchFirstWord = headerWord(recordLength, typeId); // written by the F7 CAS in commitBatch()
        }
        else
        {
            data.putLong(recordIndex, headerWord(recordLength, typeId)); // plain: published by F7 in commitBatch()
        }
        lastAppendUsed = batchUsed;
        lastAppendLength = length;
        batchUsed += aligned;
        batchRecords++;
        batchBytes += length;
        return recordIndex + HEADER_LENGTH;
    }

    /**
     * Take the record that the latest {@link #append(int, int)} added back out of the open batch: its space returns
     * to the batch (the next append or the padding of {@link #commitBatch()} writes over its header) and no consumer
     * ever sees it. Only the latest record can be taken back, and only once.
     *
     * @param index the offset that append returned.
     * @throws IllegalStateException if that is not the latest record of the open batch.
     */
    public void abortAppend(final int index)
    {
        if (batchLength == 0 || lastAppendUsed < 0 || index != claimedIndex + lastAppendUsed + HEADER_LENGTH)
        {
            throw new IllegalStateException("no record to take back at offset " + index + ": expected the latest " +
                "append of an open batch ring=" + segment.path());
        }
        batchUsed = lastAppendUsed;
        batchRecords--;
        batchBytes -= lastAppendLength;
        lastAppendUsed = -1;
    }

    /**
     * Publish the open batch: every appended record becomes visible at once; the unused rest is padding.
     *
     * @return true if delivered, false if the claim was lost (a consumer judged this producer dead and unblocked
     * it); a lost batch is counted in the slot's {@code lostClaims}.
     * @throws IllegalStateException if no batch is open.
     */
    public boolean commitBatch()
    {
        if (batchLength == 0)
        {
            throw new IllegalStateException("no open batch: expected tryClaimBatch first ring=" + segment.path());
        }
        final int rest = batchLength - batchUsed;
        final long word;
        if (batchUsed == 0)
        {
            word = headerWord(batchLength, PADDING_TYPE_ID);
        }
        else
        {
            if (rest > 0)
            {
                // plain: published by F7 below
                data.putLong(claimedIndex + batchUsed, headerWord(rest, PADDING_TYPE_ID));
            }
            word = batchFirstWord;
        }
        final int records = batchRecords;
        final long bytes = batchBytes;
        batchLength = 0;
        final boolean delivered = finish(word);
        if (delivered && records > 0)
        {
            final long before = recordsOffered;
            recordsOffered += records - 1; // finish() counted the first
            bytesOffered += bytes;
            if (((before ^ recordsOffered) & ~COUNTER_PUBLISH_MASK) != 0)
            {
                // The batch went past a multiple of 64 that countOffered() did not see.
                publishCounters();
                checkClock();
            }
        }
        return delivered;
    }

    /**
     * Deliver the claimed record.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     * @return true if delivered, false if the claim was lost: a consumer judged this producer dead and turned the
     * claim into padding (counted in the slot's {@code lostClaims}).
     * @throws IllegalStateException if that is not the outstanding claim.
     */
    public boolean commit(final int index)
    {
        checkClaim(index);
        final int recordLength = claimedRecordLength;
        if (finish(headerWord(recordLength, claimedTypeId)))
        {
            bytesOffered += recordLength - HEADER_LENGTH;
            return true;
        }
        return false;
    }

    /**
     * Give the claimed space back: consumers skip it.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     * @return true if turned into padding, false if the claim had been lost already (it is padding anyway).
     * @throws IllegalStateException if that is not the outstanding claim.
     */
    public boolean abort(final int index)
    {
        checkClaim(index);
        final int recordLength = claimedRecordLength;
        return finish(headerWord(recordLength, PADDING_TYPE_ID));
    }

    private boolean finish(final long committedWord)
    {
        final int recordIndex = claimedIndex;
        claimedIndex = NO_CLAIM_INDEX;
        if (exclusive)
        {
            return finishExclusive(recordIndex, committedWord);
        }
        // F7 CAS (commit): from exactly the clean word of this claim's lap to the committed word; a release, so every
        // payload store before it is visible to a reader that acquires the positive length (F8). Fails when a
        // consumer replaced the claim by padding (F12, F27), and on a later lap's space (other lap number).
        // Pairs with F8 in RingConsumer and F12 in RingUnblocker. Guarantees 2, 3 and 7.
        if (data.compareAndSetLong(recordIndex, cleanWordAt(claimedPosition, capacityShift), committedWord))
        {
            if ((int)(committedWord >>> 32) != PADDING_TYPE_ID)
            {
                countOffered();
            }
            return true;
        }
        checkLost(recordIndex, claimedPosition);
        header.putLongRelease(slotOffset + LOST_CLAIMS_OFFSET, ++lostClaims);
        return false;
    }

    /**
     * A commit's CAS from the clean word failed: the claim is lost when the header holds a consumer's padding (an
     * unblocker judged this producer dead, F12 or F27), or when the tail has gone a whole lap past the claim since
     * (the padding was consumed and the space cleaned and claimed again: any word may be there now). Anything else,
     * with the tail still within a lap of the claim, cannot have been written by this protocol over a claim this
     * producer won: the clean space held stale or corrupt bytes.
     */
    private void checkLost(final int recordIndex, final long position)
    {
        final long found = data.getLongVolatile(recordIndex);
        final long tail = header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
        if (!isPadding(found, recordIndex) && tail - position < capacity)
        {
            throw new SegmentException(segment.path(), "corrupt record header at position " + position +
                ": expected clean space (0x" + Long.toHexString(cleanWordAt(position, capacityShift)) +
                ") or a consumer's padding, found 0x" + Long.toHexString(found) + " (cleanPosition " +
                header.getLongVolatile(SegmentDescriptor.CLEAN_POSITION_OFFSET) + ")");
        }
    }

    private boolean isPadding(final long word, final int recordIndex)
    {
        final int length = (int)word;
        return (int)(word >>> 32) == PADDING_TYPE_ID && length >= HEADER_LENGTH && (length & (ALIGNMENT - 1)) == 0 &&
            length <= capacity - recordIndex;
    }

    /**
     * The exclusive commit: every header of the claim but its first word (plain), then the gate (F28), then the
     * tail (F5x). Nobody else writes this space (no consumer unblocks a claim the tail does not cover), so it
     * never fails.
     */
    private boolean finishExclusive(final int recordIndex, final long committedWord)
    {
        final long tail = exclusiveTail;
        final int gateIndex = (int)tail & mask;
        if (exclusivePadding != 0)
        {
            data.putLong(recordIndex, committedWord); // plain: at offset 0, published by the gate below
            // F28 release (exclusive gate): the padding to the end of the data area, after the record at 0 and
            // its payload. Pairs with F8 in RingConsumer and F29 in ProducerRegistry.
            data.putLongRelease(gateIndex, headerWord(exclusivePadding, PADDING_TYPE_ID));
        }
        else
        {
            // F28 release (exclusive gate): the record's header after its payload (and, for a batch, after the
            // other headers of the batch). Pairs with F8 in RingConsumer and F29 in ProducerRegistry.
            data.putLongRelease(recordIndex, committedWord);
        }
        exclusiveTail = tail + exclusiveRequired;
        // F5x release (exclusive tail): after the gate, so a tail never covers a claim in flight and a consumer
        // never finds a stall here. Pairs with F2 and F10, and with the acquires of ProducerRegistry.committedEnd.
        header.putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, exclusiveTail);
        if ((int)(committedWord >>> 32) != PADDING_TYPE_ID)
        {
            countOffered();
        }
        return true;
    }

    /**
     * Claim {@code aligned} bytes; returns the record index or BACK_PRESSURED. A shared claim writes nothing in the
     * data area but the padding to its end when the record wraps (F6); an exclusive one nothing at all
     * ({@link #claimExclusive}).
     */
    private int claim(final int aligned, final int recordLength)
    {
        if (exclusive)
        {
            return claimExclusive(aligned, recordLength);
        }
        final AtomicBuffer header = this.header;
        while (true)
        {
            final long tail = header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
            if ((tail & (ALIGNMENT - 1)) != 0 || tail < 0) // a corrupt file: the claim would index off the data area
            {
                checkTail(tail);
            }
            final long required = intend(tail, aligned);
            if (required < 0)
            {
                return backPressured();
            }
            final int padding = (int)(required - aligned);
            // F5 CAS (claim): exclusive ownership of [tail, tail + required); at most one producer moves the tail
            // from a given value. Pairs with F5 of other producers, F2, and F10 in RingUnblocker. Guarantee 1.
            if (!header.compareAndSetLong(SegmentDescriptor.TAIL_POSITION_OFFSET, tail, tail + required))
            {
                continue;
            }
            // F24 release (winner's record): this intent won; a stale intent of a stopped loser never equals it.
            // Pairs with F25 in RingUnblocker.
            header.putLongRelease(claimedPositionOffset, tail);
            int recordIndex = (int)tail & mask;
            long position = tail;
            if (padding != 0)
            {
                // F6 CAS (padding to the end): from the clean word of this lap, committed at once. Fails only if a
                // consumer already turned this claim into padding. Pairs with F8, F12.
                if (!data.compareAndSetLong(recordIndex, cleanWordAt(position, capacityShift),
                    headerWord(padding, PADDING_TYPE_ID)))
                {
                    checkUnblocked(recordIndex, position);
                    lost();
                    continue;
                }
                recordIndex = 0;
                position += padding;
            }
            // No access to the data area at all: the record's header holds the clean word of its lap until F7
            // commits it. (Not even a load to check that it does: a consumer that keeps up spins on this line, so a
            // load here fetched it shared and the payload's first store then had to take it again, one more line
            // transfer before the commit: paced p50 1.25-1.31x Agrona's against 1.04-1.05x for layout v2 in the
            // same interleaved runs. A header that is not clean is found by F7 failing: checkLost.)
            claimedIndex = recordIndex;
            claimedPosition = position;
            claimedRecordLength = recordLength;
            consecutiveLost = 0;
            return recordIndex;
        }
    }

    /**
     * The exclusive claim: no store outside this producer's slot. The intent (F4) tells a registrant that finds this
     * process dead which space it may have written (F29), and the position checks how far a consumer may be ahead
     * of the tail ({@code ProducerRegistry.committedEnd}); the space itself is written by the caller and by the
     * commit ({@link #finishExclusive}).
     */
    private int claimExclusive(final int aligned, final int recordLength)
    {
        final long tail = exclusiveTail;
        final long required = intend(tail, aligned);
        if (required < 0)
        {
            return backPressured();
        }
        final int padding = (int)(required - aligned);
        exclusivePadding = padding;
        exclusiveRequired = required;
        claimedIndex = padding != 0 ? 0 : (int)tail & mask;
        claimedRecordLength = recordLength; // kept here only: nothing is written yet
        return claimedIndex;
    }

    /**
     * The bytes a claim of {@code aligned} at {@code tail} takes (with the padding to the end of the data area when
     * it does not fit before it), once the space is clean, and the claim intent (F4) naming them.
     *
     * @return the bytes, or -1 when the space is not clean and cannot be cleaned now (back-pressure).
     */
    private long intend(final long tail, final int aligned)
    {
        final int toEnd = capacity - ((int)tail & mask);
        final long required = aligned > toEnd ? aligned + toEnd : aligned;
        if (tail + required > cleanThreshold && !refreshClean(tail, tail + required))
        {
            return -1;
        }
        if (required != lastClaimLength)
        {
            lastClaimLength = required;
            header.putLong(claimLengthOffset, required); // plain: published by F4
        }
        // F4 release (claim intent): [tail, tail + required) is this producer's to claim. A shared producer's intent
        // lets a consumer map a stalled position to this slot's process before the tail moves (pairs with F11 in
        // RingUnblocker); an exclusive producer's names the space it may have written until its commit (pairs with
        // F29 in ProducerRegistry and the acquire of ProducerRegistry.committedEnd).
        header.putLongRelease(claimPositionOffset, tail);
        return required;
    }

    /**
     * Called when a claim ending at {@code needed} comes within the cleaner's margin of the clean position this
     * producer knows: clean ahead while the claim still fits, so that a claim never meets the end of the clean space
     * while another producer holds the ring lock to clean it (that claim would be refused on a ring with room:
     * back-pressure with nothing unconsumed). An early attempt that finds the lock taken or the consumers too close is repeated every
     * {@value RingCleaner#RETRY_DIVISOR}th of a chunk, not on every claim.
     *
     * @return whether the claim fits below the clean position.
     */
    private boolean refreshClean(final long tail, final long needed)
    {
        // F20 acquire (clean position): the clean words below it are visible before our claim. Pairs with F21.
        long clean = header.getLongAcquire(SegmentDescriptor.CLEAN_POSITION_OFFSET);
        if (needed > clean - cleaner.margin())
        {
            clean = cleaner.clean(needed, needed > clean);
        }
        checkClean(clean, tail);
        final long early = clean - cleaner.margin();
        cleanThreshold = needed <= early ? early : Math.min(clean, needed + cleaner.retryStride());
        return needed <= clean;
    }

    /**
     * Bound the clean position read from the file: never below the tail, and at most a ring ahead of a tail read
     * after it (clean &lt;= oldest consumer + capacity &lt;= tail + capacity at any later moment). A corrupt value would
     * otherwise let this producer claim over unclean space for ever.
     */
    private void checkClean(final long clean, final long tail)
    {
        final long tailNow = header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
        if (clean < tail || clean - tailNow > capacity)
        {
            throw new SegmentException(segment.path(), "corrupt cleanPosition: expected " + tailNow + ".." +
                (tailNow + capacity) + ", found " + clean);
        }
    }

    /**
     * Every tail a producer writes is a non-negative multiple of the record alignment; any other value read from the
     * file would make a claim index a header word off its aligned place, past the end of the data area.
     */
    private long checkTail(final long tail)
    {
        if ((tail & (ALIGNMENT - 1)) != 0 || tail < 0)
        {
            throw new SegmentException(segment.path(),
                "corrupt tailPosition: expected a position >= 0 and a multiple of " + ALIGNMENT + ", found " + tail);
        }
        return tail;
    }

    /**
     * A header word at a won position that is not the clean word of its lap can only be the padding a consumer's
     * unblocker wrote over a claim it judged dead (F12); anything else means the clean space held stale or corrupt
     * bytes.
     */
    private void checkUnblocked(final int recordIndex, final long position)
    {
        final long found = data.getLongVolatile(recordIndex);
        if (!isPadding(found, recordIndex))
        {
            throw new SegmentException(segment.path(), "corrupt record header at position " + position +
                ": expected clean space (0x" + Long.toHexString(cleanWordAt(position, capacityShift)) +
                ") or a consumer's padding, found 0x" + Long.toHexString(found) +
                " (cleanPosition " + header.getLongVolatile(SegmentDescriptor.CLEAN_POSITION_OFFSET) + ")");
        }
    }

    private void lost()
    {
        header.putLongRelease(slotOffset + LOST_CLAIMS_OFFSET, ++lostClaims);
        // A claim is lost only when a consumer unblocked it, which needs this process judged dead: rare. Space that
        // is not clean ahead of the tail (a corrupt file) would make every claim fail: refuse it instead of looping.
        if (++consecutiveLost > MAX_CONSECUTIVE_LOST)
        {
            throw new SegmentException(segment.path(), "corrupt ring: expected clean space ahead of the tail, found " +
                consecutiveLost + " claims in a row whose header was not clean, tail=" +
                header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET));
        }
    }

    /**
     * Copy a record into the ring.
     *
     * @param typeId type of the record, positive.
     * @param source payload.
     * @param offset of the payload in {@code source}.
     * @param length of the payload, 0 to {@link #maxRecordLength()}.
     * @return true if written and delivered, false if back-pressured (or the claim was lost).
     */
    public boolean offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        final int index = tryClaim(typeId, length);
        if (index < 0)
        {
            return false;
        }
        data.putBytes(index, source, offset, length); // plain: published by F7 in commit()
        return commit(index);
    }

    /**
     * Record a heartbeat in this producer's slot now. The producer stores one by itself (see
     * {@link #heartbeatIfDue()}); this is for callers with their own schedule.
     *
     * @param nowMs epoch milliseconds.
     */
    public void heartbeat(final long nowMs)
    {
        lastHeartbeatMs = nowMs;
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
        heartbeatIfDue();
        return BACK_PRESSURED;
    }

    /**
     * Store a heartbeat if the last one is {@link #HEARTBEAT_INTERVAL_MS} old: one clock read, a store at most once
     * an interval. Call it from an idle duty cycle (the shared-memory publications' {@code keepAlive()} does), so that
     * monitors see an idle producer alive.
     *
     * @return true if a heartbeat was stored; false if none was due, or the producer or its segment is closed.
     */
    public boolean heartbeatIfDue()
    {
        if (closed || segment.isClosed())
        {
            return false;
        }
        final long nowMs = clock.time();
        if (isHeartbeatDue(nowMs))
        {
            heartbeat(nowMs);
            return true;
        }
        return false;
    }

    /**
     * Count a delivered record. Heartbeats go by time: every 64th record reads the clock (a flat-out producer pays
     * one clock read per 64 records) and stores a heartbeat when one is due; a producer whose 64 records took
     * {@link #PACED_COUNT_MS} or more is paced and reads the clock on every record until 64 records take less
     * again. So a heartbeat is at most {@link #HEARTBEAT_INTERVAL_MS} plus {@link #PACED_COUNT_MS} old after a
     * record of a producer with a steady rate; a producer that slows down at once or stops offering needs
     * {@link #heartbeatIfDue()} from its idle cycle.
     */
    private void countOffered()
    {
        if ((++recordsOffered & COUNTER_PUBLISH_MASK) == 0)
        {
            publishCounters();
            checkClock();
        }
        else if (paced)
        {
            final long nowMs = clock.time();
            if (isHeartbeatDue(nowMs))
            {
                heartbeat(nowMs);
            }
        }
    }

    /**
     * A heartbeat is due when the last one is an interval old, or "in the future": the wall clock was stepped back
     * (an NTP step), and waiting for it to catch up would leave the heartbeat stale for as long as the step.
     */
    private boolean isHeartbeatDue(final long nowMs)
    {
        final long elapsedMs = nowMs - lastHeartbeatMs;
        return elapsedMs >= HEARTBEAT_INTERVAL_MS || elapsedMs < 0;
    }

    private void checkClock()
    {
        final long nowMs = clock.time();
        paced = nowMs - lastCountCheckMs >= PACED_COUNT_MS;
        lastCountCheckMs = nowMs;
        if (isHeartbeatDue(nowMs))
        {
            heartbeat(nowMs);
        }
    }

    /**
     * Publish this producer's record and byte counts to its slot for monitors. Done every 64 commits, on
     * back-pressure, on {@link #heartbeat(long)} and on {@link #close()}, not on every commit: counters stay off the
     * hot lines.
     */
    private void publishCounters()
    {
        header.putLongRelease(slotOffset + RECORDS_OFFERED_OFFSET, recordsOffered);
        header.putLongRelease(slotOffset + BYTES_OFFERED_OFFSET, bytesOffered);
    }

    private void checkNoClaim()
    {
        if (claimedIndex != NO_CLAIM_INDEX || closed || segment.isClosed())
        {
            throw new IllegalStateException(closed || segment.isClosed() ? "producer or its segment is closed: ring=" +
                segment.path() : batchLength != 0 ? "producer holds an open batch: expected commitBatch first" :
                "producer already holds a claim: expected commit or abort of offset " + (claimedIndex + HEADER_LENGTH));
        }
    }

    private int checkClaim(final int index)
    {
        final int recordIndex = index - HEADER_LENGTH;
        if (recordIndex != claimedIndex || claimedIndex == NO_CLAIM_INDEX || batchLength != 0)
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
     * @return whether this is the ring's exclusive producer.
     */
    public boolean isExclusive()
    {
        return exclusive;
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
     * @return claims and batches lost because a consumer unblocked them before they were committed.
     */
    public long lostClaims()
    {
        return lostClaims;
    }

    /**
     * @return the segment this producer writes to.
     */
    public Segment segment()
    {
        return segment;
    }

    /**
     * Abort an outstanding claim or batch, if any, and free the producer slot. Idempotent. Does not close the
     * segment. The slot is freed and the counters published even when the abort finds the ring corrupt: the
     * {@link SegmentException} then propagates, after both.
     */
    public void close()
    {
        if (!closed)
        {
            try
            {
                if (!segment.isClosed())
                {
                    try
                    {
                        if (batchLength != 0)
                        {
                            batchUsed = 0;
                            commitBatch();
                        }
                        else if (claimedIndex != NO_CLAIM_INDEX)
                        {
                            abort(claimedIndex + HEADER_LENGTH);
                        }
                    }
                    finally
                    {
                        publishCounters();
                    }
                }
            }
            finally
            {
                closed = true;
                ProducerRegistry.release(segment, slotIndex);
            }
        }
    }

    public String toString()
    {
        return "RingProducer{ring=" + segment.path() + ", slot=" + slotIndex + ", exclusive=" + exclusive + ", pid=" +
            ProcessIdentity.current().pid() + "}";
    }
}

package io.herz.ipc.transport.shm;

import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.transport.Publication;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A batching {@link Publication} on a Herz ring ({@code PublicationOptions.batchBytes(n)} with n &gt; 0): the batch
 * claims of {@link RingProducer} ({@link RingProducer#tryClaimBatch(int) tryClaimBatch}, {@link
 * RingProducer#append(int, int) append}, {@link RingProducer#commitBatch() commitBatch}) behind the seam, under the
 * rules of {@link Publication}'s "Batching": one tail claim and one commit (F7) per {@code n} bytes; messages become
 * visible when the batch is committed, on a claim that finds it full, on {@link #flush()} or on {@link #close()}.
 * A message larger than an empty batch is claimed on its own ({@link RingProducer#tryClaim(int, int)}) after the open
 * batch is committed. Unbatched publications are {@link ShmPublication}, which this class leaves untouched.
 * <p>
 * Not thread-safe: one thread per instance. Nothing here allocates.
 */
public final class ShmBatchPublication implements Publication
{
    private static final int NO_CLAIM = -1;

    private final String uri;
    private final Segment segment;
    private final RingProducer producer;
    private final MutableDirectBuffer buffer;
    private final int batchLength;
    private int claimIndex = NO_CLAIM;
    private boolean claimAlone;
    private boolean batchOpen;
    private int batchCommitted;
    private long lostRecords;
    private boolean closed;

    /**
     * Publish in batches through a producer on a segment that stays the caller's: {@link #close()} does not unmap it.
     *
     * @param uri        shown by {@link #uri()}.
     * @param producer   the producer to publish through; this publication closes it.
     * @param batchBytes bytes per batch claim, headers included: 8 to a quarter of the ring's capacity.
     * @throws IllegalArgumentException for a batch length the ring cannot claim.
     */
    public ShmBatchPublication(final String uri, final RingProducer producer, final int batchBytes)
    {
        this(uri, null, producer, batchBytes);
    }

    private ShmBatchPublication(
        final String uri, final Segment ownedSegment, final RingProducer producer, final int batchBytes)
    {
        final int max = maxBatchBytes(producer.segment().capacity());
        if (batchBytes < RecordDescriptor.HEADER_LENGTH || batchBytes > max)
        {
            throw new IllegalArgumentException("batch bytes out of range: expected " + RecordDescriptor.HEADER_LENGTH +
                ".." + max + " (a quarter of the ring's capacity), found " + batchBytes + " stream=" + uri);
        }
        this.uri = uri;
        this.segment = ownedSegment;
        this.producer = producer;
        this.buffer = producer.buffer();
        this.batchLength = BitUtil.align(batchBytes, RecordDescriptor.ALIGNMENT);
    }

    /**
     * @param capacity data capacity of a ring.
     * @return the largest batch a ring of that capacity claims: a quarter of it.
     */
    public static int maxBatchBytes(final int capacity)
    {
        return SegmentDescriptor.maxRecordLengthLimit(capacity) + RecordDescriptor.HEADER_LENGTH;
    }

    /**
     * Publish on a segment this publication owns: {@link #close()} closes the producer, then unmaps the segment.
     */
    static ShmBatchPublication owning(
        final String uri, final Segment segment, final RingProducer producer, final int batchBytes)
    {
        return new ShmBatchPublication(uri, segment, producer, batchBytes);
    }

    public int tryClaim(final int typeId, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        RecordDescriptor.checkTypeId(typeId);
        if (length < 0 || length > producer.maxRecordLength())
        {
            throw new IllegalArgumentException("record length out of range: expected 0.." +
                producer.maxRecordLength() + ", found " + length + " stream=" + uri);
        }
        if (claimIndex != NO_CLAIM)
        {
            throw new IllegalStateException("publication already holds a claim: expected commit or abort of offset " +
                claimIndex + " stream=" + uri);
        }
        if (RecordDescriptor.alignedRecordLength(length) > batchLength)
        {
            commitOpenBatch();
            final int index = producer.tryClaim(typeId, length);
            if (index >= 0)
            {
                claimIndex = index;
                claimAlone = true;
            }
            return index;
        }
        if (batchOpen)
        {
            final int index = producer.append(typeId, length);
            if (index >= 0)
            {
                claimIndex = index;
                return index;
            }
            commitOpenBatch(); // BATCH_FULL: every message in it is committed (one claim at a time)
        }
        final int claimed = producer.tryClaimBatch(batchLength);
        if (claimed < 0)
        {
            return claimed; // RingProducer.BACK_PRESSURED == Publication.BACK_PRESSURED
        }
        batchOpen = true;
        final int index = producer.append(typeId, length); // fits: an empty batch holds it, checked above
        claimIndex = index;
        return index;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public boolean commit(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM;
        if (claimAlone)
        {
            claimAlone = false;
            if (producer.commit(index))
            {
                return true;
            }
            lostRecords++;
            return false;
        }
        batchCommitted++; // visible with the batch: commitOpenBatch()
        return true;
    }

    public void abort(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM;
        if (claimAlone)
        {
            claimAlone = false;
            producer.abort(index);
        }
        else
        {
            producer.abortAppend(index);
        }
    }

    public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        final int index = tryClaim(typeId, length);
        if (index < 0)
        {
            return index;
        }
        buffer.putBytes(index, source, offset, length); // plain: published by F7 in RingProducer.commitBatch()
        return commit(index) ? 0 : BACK_PRESSURED;
    }

    public int maxClaimLength()
    {
        return producer.maxRecordLength();
    }

    public int maxMessageLength()
    {
        return producer.maxRecordLength();
    }

    /**
     * Commit the open batch: every message committed into it becomes visible at once; the unused rest is padding.
     *
     * @throws IllegalStateException while a claim is outstanding.
     */
    public void flush()
    {
        if (claimIndex != NO_CLAIM)
        {
            throw new IllegalStateException("publication holds a claim: expected commit or abort of offset " +
                claimIndex + " before flush stream=" + uri);
        }
        commitOpenBatch();
    }

    /**
     * Store a heartbeat in the producer's slot if one is due ({@link RingProducer#heartbeatIfDue()}). The open
     * batch stays open: {@link #flush()} it before going idle.
     */
    public void keepAlive()
    {
        if (!closed)
        {
            producer.heartbeatIfDue();
        }
    }

    public boolean isConnected()
    {
        return true;
    }

    public String uri()
    {
        return uri;
    }

    /**
     * @return bytes claimed per batch (aligned to 8).
     */
    public int batchBytes()
    {
        return batchLength;
    }

    /**
     * @return messages committed through this publication and then lost because their batch's claim (or their own
     * claim) was taken away before it was committed; the producer's slot counts one lost claim per batch.
     */
    public long lostRecords()
    {
        return lostRecords;
    }

    /**
     * @return the ring producer under this publication (slot, counters, heartbeat).
     */
    public RingProducer producer()
    {
        return producer;
    }

    /**
     * Abort an outstanding claim, commit the open batch (everything committed so far is delivered), then close the
     * producer and unmap a segment this publication owns. Idempotent.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!producer.segment().isClosed())
            {
                if (claimIndex != NO_CLAIM)
                {
                    abort(claimIndex);
                }
                commitOpenBatch();
            }
            CloseHelper.closeAll(producer, segment);
        }
    }

    public String toString()
    {
        return "ShmBatchPublication{" + uri + ", batchBytes=" + batchLength + "}";
    }

    private void commitOpenBatch()
    {
        if (batchOpen)
        {
            batchOpen = false;
            final int records = batchCommitted;
            batchCommitted = 0;
            if (!producer.commitBatch())
            {
                lostRecords += records;
            }
        }
    }

    private void checkClaim(final int index)
    {
        if (index != claimIndex || claimIndex == NO_CLAIM)
        {
            throw new IllegalStateException("no outstanding claim at offset " + index + ": expected " +
                (claimIndex == NO_CLAIM ? "none" : Integer.toString(claimIndex)) + " stream=" + uri);
        }
    }
}

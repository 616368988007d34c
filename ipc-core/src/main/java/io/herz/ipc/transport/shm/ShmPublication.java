package io.herz.ipc.transport.shm;

import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.TransportUri;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A {@link Publication} on a Herz ring: a {@link RingProducer} on a {@link Segment} that this publication maps and
 * unmaps. Every call goes straight to the producer; the seam adds one closed-flag check per claim. With
 * {@code PublicationOptions.batchBytes(n)} the transport opens a {@link ShmBatchPublication} instead.
 */
public final class ShmPublication implements Publication
{
    private final String uri;
    private final Segment segment;
    private final RingProducer producer;
    private boolean closed;

    /**
     * Publish on an open segment. The segment stays the caller's: {@link #close()} does not unmap it.
     *
     * @param uri      shown by {@link #uri()}.
     * @param producer the producer to publish through.
     */
    public ShmPublication(final String uri, final RingProducer producer)
    {
        this(uri, null, producer);
    }

    /**
     * Publish on an open segment, named by its path. The segment stays the caller's.
     *
     * @param producer the producer to publish through.
     */
    public ShmPublication(final RingProducer producer)
    {
        this(producer.segment().path().toString(), null, producer);
    }

    private ShmPublication(final String uri, final Segment ownedSegment, final RingProducer producer)
    {
        this.uri = uri;
        this.segment = ownedSegment;
        this.producer = producer;
    }

    /**
     * Open the ring of {@code uri}: a {@link ShmBatchPublication} when the options ask for batches, else a
     * {@link ShmPublication}.
     */
    static Publication open(final TransportUri uri, final PublicationOptions options)
    {
        final Segment segment = options.create() ?
            Segment.openOrCreate(uri.path(), options.segmentConfig()) :
            Segment.open(uri.path(), options.segmentConfig());
        RingProducer producer = null;
        try
        {
            producer = options.exclusive() ?
                RingProducer.exclusive(segment, options.producerId()) : new RingProducer(segment, options.producerId());
            // a stage asking for batches does not know the ring it finds: a quarter of its capacity at most
            return options.batchBytes() > 0 ? ShmBatchPublication.owning(uri.text(), segment, producer,
                Math.min(options.batchBytes(), ShmBatchPublication.maxBatchBytes(segment.capacity()))) :
                new ShmPublication(uri.text(), segment, producer);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(producer, segment);
            throw ex;
        }
    }

    public int tryClaim(final int typeId, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        return producer.tryClaim(typeId, length);
    }

    public MutableDirectBuffer buffer()
    {
        return producer.buffer();
    }

    public boolean commit(final int index)
    {
        return producer.commit(index); // false: the claim was unblocked meanwhile and is lost (counted in the slot)
    }

    public void abort(final int index)
    {
        producer.abort(index);
    }

    public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        return producer.offer(typeId, source, offset, length) ? 0 : BACK_PRESSURED;
    }

    public int maxClaimLength()
    {
        return producer.maxRecordLength();
    }

    public int maxMessageLength()
    {
        return producer.maxRecordLength();
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
     * Store a heartbeat in the producer's slot if one is due ({@link RingProducer#heartbeatIfDue()}).
     */
    public void keepAlive()
    {
        if (!closed)
        {
            producer.heartbeatIfDue();
        }
    }

    /**
     * @return the ring producer under this publication (slot, counters, heartbeat).
     */
    public RingProducer producer()
    {
        return producer;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(producer, segment);
        }
    }

    public String toString()
    {
        return "ShmPublication{" + uri + "}";
    }
}

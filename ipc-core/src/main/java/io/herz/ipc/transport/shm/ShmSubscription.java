package io.herz.ipc.transport.shm;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportUri;
import org.agrona.CloseHelper;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Subscription} on a Herz ring: a {@link RingConsumer} on a {@link Segment} that this subscription maps
 * (creating the ring when the options say so) and unmaps. Counters made by {@link #newCounter(String)} live in the
 * segment's counters region, where {@code herz stat} reads them, for the consumer in slot 0; with several consumer
 * names (fan-out) the others keep theirs in private memory (the region has one allocator).
 */
public final class ShmSubscription implements Subscription
{
    private static final int PRIVATE_COUNTERS = 64;

    private final String uri;
    private final Segment segment;
    private final RingConsumer consumer;
    private final List<AtomicCounter> counters = new ArrayList<>();
    private CountersManager privateCounters;
    private boolean closed;

    /**
     * Subscribe through a consumer on a segment that stays the caller's: {@link #close()} does not unmap it.
     *
     * @param uri      shown by {@link #uri()}.
     * @param consumer the consumer to read through.
     */
    public ShmSubscription(final String uri, final RingConsumer consumer)
    {
        this(uri, null, consumer);
    }

    /**
     * Subscribe through a consumer on a segment that stays the caller's, named by its path.
     *
     * @param consumer the consumer to read through.
     */
    public ShmSubscription(final RingConsumer consumer)
    {
        this(consumer.segment().path().toString(), null, consumer);
    }

    private ShmSubscription(final String uri, final Segment ownedSegment, final RingConsumer consumer)
    {
        this.uri = uri;
        this.segment = ownedSegment;
        this.consumer = consumer;
    }

    static ShmSubscription open(final TransportUri uri, final SubscriptionOptions options)
    {
        final Segment segment = options.create() ?
            Segment.openOrCreate(uri.path(), options.segmentConfig()) :
            Segment.open(uri.path(), options.segmentConfig());
        try
        {
            // Each consumer name is its own fan-out reader of the ring (guarantee 9); a new name joins at the oldest
            // record still held, a registered one resumes at its position.
            return new ShmSubscription(uri.text(), segment, new RingConsumer(segment, options.consumerName(),
                RingConsumers.StartPosition.OLDEST));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(segment);
            throw ex;
        }
    }

    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        return consumer.read(handler, limit);
    }

    public boolean isConnected()
    {
        return true;
    }

    public long position()
    {
        return consumer.position();
    }

    public AtomicCounter newCounter(final String label)
    {
        if (0 != consumer.slotIndex())
        {
            // fan-out: the segment's counters region is the slot-0 consumer's; this one counts for itself
            if (null == privateCounters)
            {
                privateCounters = new CountersManager(
                    new UnsafeBuffer(new byte[PRIVATE_COUNTERS * CountersReader.METADATA_LENGTH]),
                    new UnsafeBuffer(new byte[PRIVATE_COUNTERS * CountersReader.COUNTER_LENGTH]));
            }
            final AtomicCounter counter = privateCounters.newCounter(label);
            counters.add(counter);
            return counter;
        }
        final AtomicCounter counter = consumer.countersManager().newCounter(label);
        counters.add(counter);
        return counter;
    }

    public String uri()
    {
        return uri;
    }

    /**
     * @return the ring consumer under this subscription (lag, records consumed, unblocked records).
     */
    public RingConsumer consumer()
    {
        return consumer;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(counters);
            counters.clear();
            CloseHelper.closeAll(consumer, segment);
        }
    }

    public String toString()
    {
        return "ShmSubscription{" + uri + "}";
    }
}

package io.herz.ipc.stress;

import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * The ring of one jcstress state: a pooled real segment (see {@link SegmentPool}) with the real
 * {@link RingProducer}s and {@link RingConsumer} of ipc-core on it. Build it in the state's constructor, use it from
 * the actors, read the outcome and call {@link #release()} in the {@code @Arbiter}.
 */
final class Ring
{
    /** Data capacity in bytes. */
    static final int CAPACITY = SegmentPool.CAPACITY;
    /**
     * Stall timeout for records no producer slot identifies: long enough never to fire in a test, so every
     * unblock a suite sees comes from the dead-producer path, which does not depend on time.
     */
    static final long NEVER_NS = TimeUnit.HOURS.toNanos(1);

    private static final int MAX_DRAIN_READS = 8;

    final Segment segment;
    final AtomicBuffer header;
    final AtomicBuffer data;
    private boolean released;

    /**
     * A new, empty ring at position 0.
     */
    Ring()
    {
        this(0);
    }

    /**
     * An empty ring that has already carried {@code startPosition} bytes, all consumed.
     *
     * @param startPosition tail and head to start at.
     */
    Ring(final long startPosition)
    {
        segment = SegmentPool.acquire(startPosition);
        header = segment.buffer();
        data = segment.dataBuffer();
    }

    RingProducer producer(final int producerId)
    {
        return new RingProducer(segment, producerId);
    }

    RingConsumer consumer()
    {
        return new RingConsumer(segment);
    }

    RingConsumer consumer(final String name)
    {
        return new RingConsumer(segment, name, RingConsumers.StartPosition.OLDEST);
    }

    RingConsumer consumer(final NanoClock clock)
    {
        return new RingConsumer(segment, NEVER_NS, clock);
    }

    /**
     * @return the tail position, as a monitor reads it (acquire).
     */
    long tail()
    {
        return header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
    }

    /**
     * @return the head: the position of the first registered consumer (slot 0), as a monitor reads it (acquire).
     */
    long head()
    {
        return header.getLongAcquire(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.POSITION_OFFSET);
    }

    /**
     * @return records consumer slot 0 has delivered, as a monitor reads it (acquire).
     */
    long recordsConsumed()
    {
        return header.getLongAcquire(
            SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET);
    }

    /**
     * @return records the consumer turned into padding (dead producers).
     */
    long unblockedRecords()
    {
        return header.getLongAcquire(SegmentDescriptor.UNBLOCKED_RECORDS_OFFSET);
    }

    /**
     * Read until a read makes no progress: what is left after the actors, in the arbiter.
     *
     * @param consumer the state's consumer.
     * @param handler  gets every record.
     */
    static void drain(final RingConsumer consumer, final MessageHandler handler)
    {
        for (int i = 0; i < MAX_DRAIN_READS; i++)
        {
            final long before = consumer.position();
            final int count = consumer.read(handler);
            if (count == 0 && consumer.position() == before)
            {
                return;
            }
        }
    }

    /**
     * @return true if every 8-byte word between the tail and cleanPosition is the clean word of its lap: the space the
     * next claims take holds nothing stale (layout v3: consumers never zero, producers clean ahead).
     */
    boolean spaceAheadOfTailIsClean()
    {
        final long tail = header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
        final long clean = header.getLongVolatile(SegmentDescriptor.CLEAN_POSITION_OFFSET);
        for (long position = tail; position < clean; position += Long.BYTES)
        {
            if (data.getLong((int)position & (CAPACITY - 1)) != RecordDescriptor.cleanWord(position / CAPACITY))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Give the segment back to the pool. Call once, from the arbiter, after reading every outcome.
     */
    void release()
    {
        if (!released)
        {
            released = true;
            SegmentPool.release(segment);
        }
    }
}

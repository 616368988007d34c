package io.herz.ipc.status;

import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a segment's shared state, read without disturbing producers or the consumer: every field is an
 * aligned 8-byte acquire load of a value its single writer stores with release, so no value is torn (though
 * different fields may come from slightly different moments). For monitors such as {@code herz stat}; allocates.
 */
public final class SegmentStatus
{
    private final String path;
    private final long capturedNs;
    private final int capacity;
    private final long tailPosition;
    private final long headPosition;
    private final long consumerPid;
    private final boolean consumerAlive;
    private final long consumerHeartbeatMs;
    private final long recordsConsumed;
    private final long unblockedRecords;
    private final long unblockedBytes;
    private final List<ProducerStatus> producers;
    private final Map<String, Long> counters;

    private SegmentStatus(final Segment segment)
    {
        final AtomicBuffer header = segment.buffer();
        this.path = segment.path().toString();
        this.capturedNs = System.nanoTime();
        this.capacity = segment.capacity();
        this.tailPosition = header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
        // Layout version 2: several named consumers. "head" is the oldest registered consumer position (what holds
        // the producers back); the consumer fields describe the slowest registered consumer.
        long oldest = Long.MAX_VALUE;
        long consumerToken = 0;
        long consumerHeartbeat = 0;
        long consumed = 0;
        for (int i = 0; i < SegmentDescriptor.CONSUMER_SLOT_COUNT; i++)
        {
            final int slot = SegmentDescriptor.consumerSlotOffset(i);
            if (header.getIntAcquire(slot + ConsumerSlotDescriptor.STATE_OFFSET) != ConsumerSlotDescriptor.STATE_REGISTERED)
            {
                continue;
            }
            final long position = header.getLongAcquire(slot + ConsumerSlotDescriptor.POSITION_OFFSET);
            if (position < oldest)
            {
                oldest = position;
                consumerToken = header.getLongAcquire(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET);
                consumerHeartbeat = header.getLongAcquire(slot + ConsumerSlotDescriptor.HEARTBEAT_OFFSET);
                consumed = header.getLongAcquire(slot + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET);
            }
        }
        this.headPosition = oldest == Long.MAX_VALUE ? header.getLongAcquire(SegmentDescriptor.BASE_POSITION_OFFSET) : oldest;
        this.consumerPid = consumerToken == 0 ? 0 : ProcessIdentity.pidOf(consumerToken);
        this.consumerAlive = consumerToken != 0 && ProcessIdentity.isAlive(consumerToken);
        this.consumerHeartbeatMs = consumerHeartbeat;
        this.recordsConsumed = consumed;
        this.unblockedRecords = header.getLongAcquire(SegmentDescriptor.UNBLOCKED_RECORDS_OFFSET);
        this.unblockedBytes = header.getLongAcquire(SegmentDescriptor.UNBLOCKED_BYTES_OFFSET);

        final List<ProducerStatus> list = new ArrayList<>();
        for (int i = 0; i < segment.producerSlotCount(); i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long token = header.getLongAcquire(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET);
            if (token != 0)
            {
                list.add(new ProducerStatus(
                    i,
                    header.getInt(slot + ProducerSlotDescriptor.PRODUCER_ID_OFFSET),
                    ProcessIdentity.pidOf(token),
                    ProcessIdentity.isAlive(token),
                    header.getLongAcquire(slot + ProducerSlotDescriptor.HEARTBEAT_OFFSET),
                    header.getLongAcquire(slot + ProducerSlotDescriptor.RECORDS_OFFERED_OFFSET),
                    header.getLongAcquire(slot + ProducerSlotDescriptor.BYTES_OFFERED_OFFSET),
                    header.getLongAcquire(slot + ProducerSlotDescriptor.BACK_PRESSURE_COUNT_OFFSET)));
            }
        }
        this.producers = Collections.unmodifiableList(list);

        final Map<String, Long> values = new LinkedHashMap<>();
        final CountersReader reader = segment.countersReader();
        reader.forEach((value, id, label) -> values.put(label, value));
        this.counters = Collections.unmodifiableMap(values);
    }

    /**
     * Take a snapshot.
     *
     * @param segment an open segment.
     * @return its current state.
     */
    public static SegmentStatus capture(final Segment segment)
    {
        return new SegmentStatus(segment);
    }

    /**
     * One registered producer slot.
     *
     * @param slot              slot index.
     * @param producerId        application id, -1 when not set.
     * @param pid               owner process id.
     * @param alive             whether that process still runs.
     * @param heartbeatMs       last heartbeat, epoch ms.
     * @param recordsOffered    records committed.
     * @param bytesOffered      payload bytes committed.
     * @param backPressureCount claims refused for lack of space.
     */
    public record ProducerStatus(
        int slot,
        int producerId,
        long pid,
        boolean alive,
        long heartbeatMs,
        long recordsOffered,
        long bytesOffered,
        long backPressureCount)
    {
    }

    /** @return absolute path of the segment. */
    public String path()
    {
        return path;
    }

    /** @return {@link System#nanoTime()} when captured. */
    public long capturedNs()
    {
        return capturedNs;
    }

    /** @return bytes of the data area. */
    public int capacity()
    {
        return capacity;
    }

    /** @return producers' claim position. */
    public long tailPosition()
    {
        return tailPosition;
    }

    /** @return consumer position. */
    public long headPosition()
    {
        return headPosition;
    }

    /** @return bytes claimed but not yet consumed. */
    public long lagBytes()
    {
        return Math.max(0, tailPosition - headPosition);
    }

    /** @return pid holding the consumer slot, 0 if none. */
    public long consumerPid()
    {
        return consumerPid;
    }

    /** @return whether the consumer slot's holder runs. */
    public boolean consumerAlive()
    {
        return consumerAlive;
    }

    /** @return consumer's last heartbeat, epoch ms. */
    public long consumerHeartbeatMs()
    {
        return consumerHeartbeatMs;
    }

    /** @return records delivered by every consumer of this segment. */
    public long recordsConsumed()
    {
        return recordsConsumed;
    }

    /** @return records of dead producers turned into padding. */
    public long unblockedRecords()
    {
        return unblockedRecords;
    }

    /** @return bytes of those records. */
    public long unblockedBytes()
    {
        return unblockedBytes;
    }

    /** @return registered producer slots. */
    public List<ProducerStatus> producers()
    {
        return producers;
    }

    /** @return named counters (label to value) in id order. */
    public Map<String, Long> counters()
    {
        return counters;
    }

    /** @return sum of records committed by the registered producers. */
    public long recordsOffered()
    {
        long sum = 0;
        for (final ProducerStatus producer : producers)
        {
            sum += producer.recordsOffered();
        }
        return sum;
    }
}

package io.herz.ipc.status;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a segment's shared state, read without disturbing producers or the consumer: every field is an
 * aligned 8-byte acquire load of a value its single writer stores with release, so no value is torn (though
 * different fields may come from slightly different moments). For monitors such as {@code herz stat}; allocates.
 * <p>
 * <b>Every number read is validated before use</b>, whatever Agrona's bounds-check flag says: the geometry must
 * still be the one validated at open, positions must be non-negative, aligned and at most a capacity apart, counts
 * non-negative, and each counter's state and label length in range; the counter labels are read here with those
 * checks rather than through {@link CountersReader}, which sizes an array from the stored length. A corrupt value
 * is answered with a {@link SegmentException} naming the field, the value found and what was expected; no read
 * leaves the areas the segment validated at open. Reads go through {@link Segment#readBuffer()}, so a segment opened
 * with {@link Segment#openReadOnly(Path)} is enough ({@link #read(Path)} does that).
 */
public final class SegmentStatus
{
    private final String path;
    private final long capturedNs;
    private final int capacity;
    private final long tailPosition;
    private final long headPosition;
    private final long consumerPid;
    private final ProcessIdentity.Liveness consumerLiveness;
    private final long consumerHeartbeatMs;
    private final long recordsConsumed;
    private final long unblockedRecords;
    private final long unblockedBytes;
    private final List<ProducerStatus> producers;
    private final Map<String, Long> counters;

    private SegmentStatus(final Segment segment)
    {
        final Reader reader = new Reader(segment);
        this.path = segment.path().toString();
        this.capturedNs = System.nanoTime();
        this.capacity = segment.capacity();
        reader.checkGeometry();

        // Layout version 2: several named consumers. "head" is the slowest registered consumer's position (what
        // holds the producers back, basePosition when none is registered); the consumer fields describe that one.
        final int consumerSlot = reader.slowestConsumerSlot();
        final long[] positions = reader.positions(consumerSlot);
        this.headPosition = positions[0];
        this.tailPosition = positions[1];

        final long consumerToken = consumerSlot < 0 ? 0 :
            reader.getLongAcquire(consumerSlot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET);
        this.consumerPid = consumerToken == 0 ? 0 : ProcessIdentity.pidOf(consumerToken);
        final int consumerIndex = (consumerSlot - SegmentDescriptor.CONSUMER_SLOTS_OFFSET) /
            SegmentDescriptor.CONSUMER_SLOT_LENGTH;
        this.consumerLiveness = consumerToken == 0 ? ProcessIdentity.Liveness.DEAD :
            ProcessIdentity.liveness(consumerToken, ProcessIdentity.namespaceFromField(
                reader.getInt(SegmentDescriptor.consumerPidNamespaceOffset(consumerIndex))));
        this.consumerHeartbeatMs = consumerSlot < 0 ? 0 :
            reader.count(consumerSlot + ConsumerSlotDescriptor.HEARTBEAT_OFFSET, "consumerHeartbeatMs");
        this.recordsConsumed = consumerSlot < 0 ? 0 :
            reader.count(consumerSlot + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET, "recordsConsumed");
        this.unblockedRecords = reader.count(SegmentDescriptor.UNBLOCKED_RECORDS_OFFSET, "unblockedRecords");
        this.unblockedBytes = reader.count(SegmentDescriptor.UNBLOCKED_BYTES_OFFSET, "unblockedBytes");

        this.producers = Collections.unmodifiableList(reader.producers());
        this.counters = Collections.unmodifiableMap(reader.counters());
    }

    /**
     * Open a segment read-only, take a snapshot and close it: what a passive monitor does.
     *
     * @param path the segment file.
     * @return its current state.
     * @throws SegmentException if the file is not a valid segment or holds a corrupt value.
     */
    public static SegmentStatus read(final Path path)
    {
        try (Segment segment = Segment.openReadOnly(path))
        {
            return capture(segment);
        }
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
     * @param alive             whether that process may still run (not known to be dead).
     * @param heartbeatMs       last heartbeat, epoch ms.
     * @param recordsOffered    records committed.
     * @param bytesOffered      payload bytes committed.
     * @param backPressureCount claims refused for lack of space.
     * @param liveness          what is known of the owner process.
     */
    public record ProducerStatus(
        int slot,
        int producerId,
        long pid,
        boolean alive,
        long heartbeatMs,
        long recordsOffered,
        long bytesOffered,
        long backPressureCount,
        ProcessIdentity.Liveness liveness)
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

    /** @return whether the consumer slot's holder may still run (not known to be dead). */
    public boolean consumerAlive()
    {
        return !consumerLiveness.isDead();
    }

    /** @return what is known of the consumer slot's holder ({@code DEAD} when the slot is free). */
    public ProcessIdentity.Liveness consumerLiveness()
    {
        return consumerLiveness;
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

    /**
     * Bounds-checked, validating reads of one segment. Offsets are those of the descriptors; every offset is checked
     * against the length of the mapping before the read, so no corrupt value can steer a read outside it.
     */
    private static final class Reader
    {
        private static final int POSITION_RETRIES = 16;

        private final Segment segment;
        private final DirectBuffer buffer;
        private final Path path;

        Reader(final Segment segment)
        {
            this.segment = segment;
            this.buffer = segment.readBuffer();
            this.path = segment.path();
        }

        long getLongAcquire(final int offset)
        {
            checkOffset(offset, Long.BYTES);
            final long value = buffer.getLong(offset);
            // Monitor acquire: the loads that follow see at least what the writer published before its release
            // of this field (the writers' fences are listed in SegmentDescriptor).
            VarHandle.acquireFence();
            return value;
        }

        int getIntAcquire(final int offset)
        {
            checkOffset(offset, Integer.BYTES);
            final int value = buffer.getInt(offset);
            VarHandle.acquireFence(); // monitor acquire, as in getLongAcquire
            return value;
        }

        int getInt(final int offset)
        {
            checkOffset(offset, Integer.BYTES);
            return buffer.getInt(offset);
        }

        private void checkOffset(final int offset, final int length)
        {
            if (offset < 0 || (long)offset + length > buffer.capacity())
            {
                throw new SegmentException(path, "read outside the mapping: offset " + offset + ", length " +
                    length + ", expected within the " + buffer.capacity() + " mapped bytes");
            }
        }

        private SegmentException corrupt(final String field, final long found, final String expected)
        {
            return new SegmentException(path, "corrupt " + field + ": expected " + expected + ", found " + found);
        }

        /** The geometry in the header must still be the one validated at open. */
        void checkGeometry()
        {
            same(SegmentDescriptor.CAPACITY_OFFSET, "capacity", segment.capacity());
            same(SegmentDescriptor.PRODUCER_SLOT_COUNT_OFFSET, "producerSlotCount", segment.producerSlotCount());
            same(SegmentDescriptor.COUNTER_COUNT_OFFSET, "counterCount", segment.counterCount());
            same(SegmentDescriptor.HEADER_LENGTH_OFFSET, "headerLength", segment.headerLength());
            same(SegmentDescriptor.MAX_RECORD_LENGTH_OFFSET, "maxRecordLength", segment.maxRecordLength());
        }

        private void same(final int offset, final String field, final int validated)
        {
            final int found = getInt(offset);
            if (found != validated)
            {
                throw corrupt(field, found, validated + " (the value validated at open)");
            }
        }

        long count(final int offset, final String field)
        {
            final long value = getLongAcquire(offset);
            if (value < 0)
            {
                throw corrupt(field, value, "a count >= 0");
            }
            return value;
        }

        private long position(final int offset, final String field)
        {
            final long value = getLongAcquire(offset);
            if (value < 0 || (value & (RecordDescriptor.ALIGNMENT - 1)) != 0)
            {
                throw corrupt(field, value, "a position >= 0 and a multiple of " + RecordDescriptor.ALIGNMENT);
            }
            return value;
        }

        /**
         * Head and tail, consistent: head read first (it never passes the tail), tail at most a capacity ahead.
         * Both move while we read; a busy ring can make one pair look too far apart, so a few fresh pairs are
         * tried before the values are called corrupt.
         */
        /**
         * @return offset of the registered consumer slot with the smallest position, or -1 when none is registered.
         */
        int slowestConsumerSlot()
        {
            int slowest = -1;
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < SegmentDescriptor.CONSUMER_SLOT_COUNT; i++)
            {
                final int slot = SegmentDescriptor.consumerSlotOffset(i);
                if (getIntAcquire(slot + ConsumerSlotDescriptor.STATE_OFFSET) != ConsumerSlotDescriptor.STATE_REGISTERED)
                {
                    continue;
                }
                final long position = position(slot + ConsumerSlotDescriptor.POSITION_OFFSET, "headPosition");
                if (position < oldest)
                {
                    oldest = position;
                    slowest = slot;
                }
            }
            return slowest;
        }

        long[] positions(final int consumerSlot)
        {
            final int headOffset = consumerSlot < 0 ? SegmentDescriptor.BASE_POSITION_OFFSET :
                consumerSlot + ConsumerSlotDescriptor.POSITION_OFFSET;
            long head = 0;
            long tail = 0;
            for (int attempt = 0; attempt < POSITION_RETRIES; attempt++)
            {
                head = position(headOffset, "headPosition");
                tail = position(SegmentDescriptor.TAIL_POSITION_OFFSET, "tailPosition");
                if (head <= tail && tail - head <= segment.capacity())
                {
                    return new long[]{head, tail};
                }
            }
            if (head > tail)
            {
                throw new SegmentException(path, "corrupt headPosition: expected at most tailPosition " + tail +
                    ", found " + head);
            }
            throw new SegmentException(path, "corrupt tailPosition: expected at most headPosition + capacity = " +
                (head + segment.capacity()) + ", found " + tail);
        }

        List<ProducerStatus> producers()
        {
            final List<ProducerStatus> list = new ArrayList<>();
            for (int i = 0; i < segment.producerSlotCount(); i++)
            {
                final int slot = SegmentDescriptor.producerSlotOffset(i);
                final long token = getLongAcquire(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET);
                if (token != 0)
                {
                    final String name = "producer slot " + i + " ";
                    final ProcessIdentity.Liveness liveness =
                        ProcessIdentity.liveness(token, ProcessIdentity.namespaceFromField(
                            getInt(slot + ProducerSlotDescriptor.PID_NAMESPACE_OFFSET)));
                    list.add(new ProducerStatus(
                        i,
                        getInt(slot + ProducerSlotDescriptor.PRODUCER_ID_OFFSET),
                        ProcessIdentity.pidOf(token),
                        !liveness.isDead(),
                        count(slot + ProducerSlotDescriptor.HEARTBEAT_OFFSET, name + "heartbeatMs"),
                        count(slot + ProducerSlotDescriptor.RECORDS_OFFERED_OFFSET, name + "recordsOffered"),
                        count(slot + ProducerSlotDescriptor.BYTES_OFFERED_OFFSET, name + "bytesOffered"),
                        count(slot + ProducerSlotDescriptor.BACK_PRESSURE_COUNT_OFFSET, name + "backPressureCount"),
                        liveness));
                }
            }
            return list;
        }

        /** Agrona's counters layout, read with every length checked (see {@link CountersReader} for the layout). */
        Map<String, Long> counters()
        {
            final Map<String, Long> values = new LinkedHashMap<>();
            final int metadata = SegmentDescriptor.countersMetadataOffset(segment.producerSlotCount());
            final int valuesOffset = SegmentDescriptor.countersValuesOffset(
                segment.producerSlotCount(), segment.counterCount());
            for (int id = 0; id < segment.counterCount(); id++)
            {
                final int record = metadata + id * CountersReader.METADATA_LENGTH;
                checkOffset(record, CountersReader.METADATA_LENGTH);
                // Acquire on the state: the label written before the allocating release is visible.
                checkOffset(record, Integer.BYTES);
                final int state = buffer.getInt(record);
                VarHandle.acquireFence();
                if (state == CountersReader.RECORD_UNUSED)
                {
                    break;
                }
                if (state == CountersReader.RECORD_RECLAIMED)
                {
                    continue;
                }
                if (state != CountersReader.RECORD_ALLOCATED)
                {
                    throw new SegmentException(path, "corrupt counter " + id + " state: expected " +
                        CountersReader.RECORD_UNUSED + ", " + CountersReader.RECORD_ALLOCATED + " or " +
                        CountersReader.RECORD_RECLAIMED + ", found " + state);
                }
                final int labelLength = getInt(record + CountersReader.LABEL_OFFSET);
                if (labelLength < 0 || labelLength > CountersReader.MAX_LABEL_LENGTH)
                {
                    throw new SegmentException(path, "corrupt counter " + id + " label length: expected 0.." +
                        CountersReader.MAX_LABEL_LENGTH + ", found " + labelLength);
                }
                final int labelOffset = record + CountersReader.LABEL_OFFSET + Integer.BYTES;
                checkOffset(labelOffset, labelLength);
                final String label = buffer.getStringWithoutLengthAscii(labelOffset, labelLength);
                final int valueOffset = valuesOffset + id * CountersReader.COUNTER_LENGTH;
                values.put(label, getLongAcquire(valueOffset));
            }
            return values;
        }
    }
}

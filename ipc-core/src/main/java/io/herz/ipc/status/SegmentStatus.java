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
    private final List<ConsumerStatus> consumers;
    private final ConsumerStatus slowestConsumer;
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
        final List<int[]> registered = reader.registeredConsumerSlots();
        final long[] positions = reader.positions(registered);
        this.tailPosition = positions[positions.length - 1];
        this.consumers = Collections.unmodifiableList(reader.consumers(registered, positions, tailPosition));
        ConsumerStatus slowest = null;
        for (final ConsumerStatus consumer : consumers)
        {
            if (slowest == null || consumer.position() < slowest.position())
            {
                slowest = consumer;
            }
        }
        this.slowestConsumer = slowest;
        this.headPosition = slowest == null ? positions[0] : slowest.position();
        this.consumerPid = slowest == null ? 0 : slowest.pid();
        this.consumerLiveness = slowest == null ? ProcessIdentity.Liveness.DEAD : slowest.liveness();
        this.consumerHeartbeatMs = slowest == null ? 0 : slowest.heartbeatMs();
        this.recordsConsumed = slowest == null ? 0 : slowest.recordsConsumed();
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
     * @param lostClaims        claims that a consumer unblocked (turned into padding) before this producer committed
     *                          them, reported to the producer as lost.
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
        ProcessIdentity.Liveness liveness,
        long lostClaims)
    {
    }

    /**
     * One registered consumer name (layout version 2: up to {@link SegmentDescriptor#CONSUMER_SLOT_COUNT}).
     *
     * @param slot            consumer slot index.
     * @param name            the consumer name.
     * @param pid             pid of the process attached to the name, 0 when none is attached.
     * @param liveness        what is known of that process ({@code DEAD} when none is attached).
     * @param position        position up to which it has read and released.
     * @param lagBytes        bytes claimed but not yet released by it: {@code tailPosition - position}.
     * @param recordsConsumed records it delivered.
     * @param heartbeatMs     its last heartbeat, epoch ms (0 if never).
     * @param dropAfterMs     opt-in drop timeout, 0 when it holds the ring for ever.
     */
    public record ConsumerStatus(
        int slot,
        String name,
        long pid,
        ProcessIdentity.Liveness liveness,
        long position,
        long lagBytes,
        long recordsConsumed,
        long heartbeatMs,
        long dropAfterMs)
    {
        /** @return true if a process is attached and may still run (not known to be dead). */
        public boolean attachedAndAlive()
        {
            return pid != 0 && !liveness.isDead();
        }
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

    /** @return position of the slowest consumer (the base position when none is registered). */
    public long headPosition()
    {
        return headPosition;
    }

    /** @return bytes claimed but not yet released by the slowest consumer. */
    public long lagBytes()
    {
        return Math.max(0, tailPosition - headPosition);
    }

    /** @return the registered consumers, in slot order (empty when none is registered). */
    public List<ConsumerStatus> consumers()
    {
        return consumers;
    }

    /**
     * @return the consumer with the smallest position, the one holding the producers back (the first in slot order
     * on a tie), or null when no consumer is registered.
     */
    public ConsumerStatus slowestConsumer()
    {
        return slowestConsumer;
    }

    /** @return pid attached to the slowest consumer, 0 if none. */
    public long consumerPid()
    {
        return consumerPid;
    }

    /** @return whether the slowest consumer's process may still run (not known to be dead). */
    public boolean consumerAlive()
    {
        return !consumerLiveness.isDead();
    }

    /** @return what is known of the slowest consumer's process ({@code DEAD} when none is attached). */
    public ProcessIdentity.Liveness consumerLiveness()
    {
        return consumerLiveness;
    }

    /** @return the slowest consumer's last heartbeat, epoch ms. */
    public long consumerHeartbeatMs()
    {
        return consumerHeartbeatMs;
    }

    /** @return records delivered by the slowest consumer (see {@link #consumers()} for each). */
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
         * @return {@code {slotIndex, slotOffset}} of every registered consumer slot, in slot order.
         * @throws SegmentException for a slot state that is neither free nor registered.
         */
        List<int[]> registeredConsumerSlots()
        {
            final List<int[]> slots = new ArrayList<>();
            for (int i = 0; i < SegmentDescriptor.CONSUMER_SLOT_COUNT; i++)
            {
                final int slot = SegmentDescriptor.consumerSlotOffset(i);
                // Monitor acquire of the slot state (the ring's F18): the name and settings are visible.
                final int state = getIntAcquire(slot + ConsumerSlotDescriptor.STATE_OFFSET);
                if (state == ConsumerSlotDescriptor.STATE_REGISTERED)
                {
                    slots.add(new int[]{i, slot});
                }
                else if (state != ConsumerSlotDescriptor.STATE_FREE)
                {
                    throw corrupt("consumer slot " + i + " state", state, ConsumerSlotDescriptor.STATE_FREE +
                        " (free) or " + ConsumerSlotDescriptor.STATE_REGISTERED + " (registered)");
                }
            }
            return slots;
        }

        /**
         * The position of every registered consumer (or the base position when none is registered), then the tail,
         * consistent: every position at most the tail and at most a capacity behind it. Positions are read first
         * (none passes the tail); they move while we read, so a busy ring can make one set look too far apart, and a
         * few fresh sets are tried before the values are called corrupt.
         *
         * @return the positions in slot order, the tail last.
         */
        long[] positions(final List<int[]> consumerSlots)
        {
            final int count = Math.max(1, consumerSlots.size());
            final long[] values = new long[count + 1];
            String badField = null;
            long badValue = 0;
            for (int attempt = 0; attempt < POSITION_RETRIES; attempt++)
            {
                for (int i = 0; i < count; i++)
                {
                    values[i] = consumerSlots.isEmpty() ?
                        position(SegmentDescriptor.BASE_POSITION_OFFSET, "basePosition") :
                        position(consumerSlots.get(i)[1] + ConsumerSlotDescriptor.POSITION_OFFSET,
                            positionField(consumerSlots.get(i)[0]));
                }
                final long tail = position(SegmentDescriptor.TAIL_POSITION_OFFSET, "tailPosition");
                values[count] = tail;
                // An exclusive producer's record a consumer read may lie above the tail until that producer's tail
                // store (its gate comes first): positions are bounded by the committed end.
                final long end = committedEnd(tail);
                badField = null;
                for (int i = 0; i < count && badField == null; i++)
                {
                    if (values[i] > end || tail - values[i] > segment.capacity())
                    {
                        badField = consumerSlots.isEmpty() ? "basePosition" : positionField(consumerSlots.get(i)[0]);
                        badValue = values[i];
                    }
                }
                if (badField == null)
                {
                    return values;
                }
            }
            final long head = badValue;
            final long tail = values[count];
            if (head > tail)
            {
                throw new SegmentException(path, "corrupt " + badField + ": expected at most tailPosition " + tail +
                    ", found " + head);
            }
            throw new SegmentException(path, "corrupt tailPosition: expected at most " + badField + " + capacity = " +
                (head + segment.capacity()) + ", found " + tail);
        }

        /**
         * The tail, or while the exclusive producer's intent is at the tail (its commit writes the gate before the
         * tail), the end of that intent: the ring's {@code RingConsumers.committedEnd}, over this validated view.
         */
        private long committedEnd(final long tail)
        {
            final long holder = getLongAcquire(SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET);
            for (int i = 0; holder != 0 && i < segment.producerSlotCount(); i++)
            {
                final int slot = SegmentDescriptor.producerSlotOffset(i);
                if (getLongAcquire(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET) == holder &&
                    (getInt(slot + ProducerSlotDescriptor.FLAGS_OFFSET) & ProducerSlotDescriptor.FLAG_EXCLUSIVE) != 0)
                {
                    final long claimPosition = getLongAcquire(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET);
                    final long claimLength = getLongAcquire(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET);
                    final long tailAfter = getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
                    if (tailAfter != tail)
                    {
                        return Math.max(tail, tailAfter);
                    }
                    return claimPosition == tail && claimLength > 0 && claimLength <= segment.capacity() / 2 ?
                        tail + claimLength : tail;
                }
            }
            return tail;
        }

        private static String positionField(final int slotIndex)
        {
            return "consumer slot " + slotIndex + " position";
        }

        List<ConsumerStatus> consumers(final List<int[]> consumerSlots, final long[] positions, final long tail)
        {
            final List<ConsumerStatus> list = new ArrayList<>(consumerSlots.size());
            for (int i = 0; i < consumerSlots.size(); i++)
            {
                final int index = consumerSlots.get(i)[0];
                final int slot = consumerSlots.get(i)[1];
                final String field = "consumer slot " + index + " ";
                final String name = consumerName(index, slot);
                final long token = getLongAcquire(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET);
                final long pid = token == 0 ? 0 : ProcessIdentity.pidOf(token);
                final ProcessIdentity.Liveness liveness = token == 0 ? ProcessIdentity.Liveness.DEAD :
                    ProcessIdentity.liveness(token, ProcessIdentity.namespaceFromField(
                        getInt(SegmentDescriptor.consumerPidNamespaceOffset(index))));
                list.add(new ConsumerStatus(
                    index,
                    name,
                    pid,
                    liveness,
                    positions[i],
                    Math.max(0, tail - positions[i]),
                    count(slot + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET, field + "recordsConsumed"),
                    count(slot + ConsumerSlotDescriptor.HEARTBEAT_OFFSET, field + "heartbeatMs"),
                    count(slot + ConsumerSlotDescriptor.DROP_AFTER_MS_OFFSET, field + "dropAfterMs")));
            }
            return list;
        }

        /** The name, checked: 1..64 bytes of printable US-ASCII without spaces, as the ring registers it. */
        private String consumerName(final int index, final int slot)
        {
            final int length = getInt(slot + ConsumerSlotDescriptor.NAME_LENGTH_OFFSET);
            if (length < 1 || length > ConsumerSlotDescriptor.MAX_NAME_LENGTH)
            {
                throw corrupt("consumer slot " + index + " nameLength", length,
                    "1.." + ConsumerSlotDescriptor.MAX_NAME_LENGTH);
            }
            final int nameOffset = slot + ConsumerSlotDescriptor.NAME_OFFSET;
            checkOffset(nameOffset, length);
            final char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                final byte b = buffer.getByte(nameOffset + i);
                if (b < 0x21 || b > 0x7E)
                {
                    throw corrupt("consumer slot " + index + " name byte " + i, b & 0xFF,
                        "printable US-ASCII without spaces (0x21..0x7e)");
                }
                chars[i] = (char)b;
            }
            return new String(chars);
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
                        liveness,
                        count(slot + ProducerSlotDescriptor.LOST_CLAIMS_OFFSET, name + "lostClaims")));
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

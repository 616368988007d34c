package io.herz.ipc.segment;

import org.agrona.BitUtil;
import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of a Herz segment file, layout version 3. All integers are little-endian. A segment is one file: this
 * header, then the ring's data area ({@code capacity} bytes), nothing else. Every hot field owns a 128-byte block
 * (two cache lines, because the adjacent-line prefetcher pairs them) so producers and consumers never false-share.
 * {@code docs/LAYOUT.md} holds the same table for readers in other languages; {@code LayoutTest} keeps the two in
 * step. The layout of one consumer slot, one producer slot and one record belongs to the ring
 * ({@code io.herz.ipc.ring.ConsumerSlotDescriptor}, {@code ProducerSlotDescriptor}, {@code RecordDescriptor}); this
 * package knows only their sizes, so that it does not depend on the ring package.
 * <pre>
 * offset size field                writer                               reader
 *      0    4 magic "HERZ"         creator                              open()
 *      4    4 layoutVersion (3)    creator, last: F0 release            open(): F1 acquire, bounded wait
 *      8    4 capacity (2^n)       creator                              all
 *     12    4 maxRecordLength      creator (payload bytes)              all
 *     16    4 producerSlotCount    creator                              all
 *     20    4 counterCount         creator                              all
 *     24    4 headerLength         creator (= offset of the data area)  all
 *     28    4 consumerSlotCount    creator (16 since version 2)         all
 *     32    8 creatorPid           creator                              monitor
 *     40    8 creatorStartTimeMs   creator                              monitor
 *     48    8 createdEpochMs       creator                              monitor
 *     56    8 fileLength           creator                              open()
 *    128    8 tailPosition         producers: F5 CAS / F5x release      producers F2, consumers F10 (acquire)
 *    256    8 cleanPosition        cleaning producer: F21 release       producers F20, consumers F19 (acquire)
 *    384  128 ring block           see below
 *    512  128 consumer slot 0      see ConsumerSlotDescriptor (ring package)
 *    ...      consumer slot 15
 *   2560  128 producer slot 0      see ProducerSlotDescriptor (ring package)
 *    ...      producer slot n-1
 *      S  512 x counterCount       Agrona counters metadata (CountersReader layout)
 *      V  128 x counterCount       Agrona counters values
 *      H      data area            capacity bytes of records, see RecordDescriptor
 *
 * P = 512 + 128 * 16 = 2560, S = P + 128 * producerSlotCount, V = S + 512 * counterCount,
 * H = headerLength = align(V + 128 * counterCount, 4096), file length = H + capacity.
 *
 * ring block (one 128-byte block; slow-path fields only, never touched per record)
 *    384    8 ringLockToken        F22 CAS (cleaning, consumer join/remove; 0 = free)
 *    392    8 exclusiveProducerToken  F23 CAS (0 = ring is shared)
 *    400    8 basePosition         under the ring lock: oldest position held when no consumer is registered
 *    408    8 unblockedRecords     consumers: getAndAdd                 monitor: acquire
 *    416    8 unblockedBytes       consumers: getAndAdd                 monitor: acquire
 *    424    8 droppedConsumers     cleaning producer: getAndAdd         monitor: acquire
 *    432    8 cleanedBytes         cleaning producer, under the lock    monitor: acquire
 *    440   64 consumerPidNamespace[16]  int32 (unsigned) per consumer slot i at 440 + 4 * i: the pid namespace
 *                                  of the process attached to slot i, written under the ring lock before its F15
 *                                  CAS (0 = not recorded); read by consumers (attach, remove), the cleaning
 *                                  producer (drop policy), monitors. Bytes 504..511 are reserved (zero).
 * </pre>
 * {@code consumerPidNamespace[i]} is the pid namespace of the process attached to consumer slot {@code i} (the
 * consumer slot itself has no room left); see {@code ConsumerSlotDescriptor}.
 * Invariants: {@code basePosition <= min(consumer positions) <= tailPosition <= cleanPosition <=
 * min(consumer positions, or basePosition when none) + capacity}; every 8-byte word at positions
 * {@code [tailPosition, cleanPosition)} holds the clean word of its lap ({@code RecordDescriptor.cleanWord}), but
 * what producers wrote into claims in flight.
 */
public final class SegmentDescriptor
{
    /** "HERZ" as little-endian bytes 'H' 'E' 'R' 'Z'. */
    public static final int MAGIC = 0x5A52_4548;
    /** The layout version this code writes and reads. */
    public static final int LAYOUT_VERSION = 3;

    /** Bytes of one hot-field block: two cache lines. */
    public static final int BLOCK_LENGTH = 128;
    /** The header length is a multiple of this, so the data area starts page aligned. */
    public static final int HEADER_ALIGNMENT = 4096;
    /** Bytes of a record header in the data area (the ring's {@code RecordDescriptor.HEADER_LENGTH}). */
    public static final int RECORD_HEADER_LENGTH = 8;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 4;
    public static final int CAPACITY_OFFSET = 8;
    public static final int MAX_RECORD_LENGTH_OFFSET = 12;
    public static final int PRODUCER_SLOT_COUNT_OFFSET = 16;
    public static final int COUNTER_COUNT_OFFSET = 20;
    public static final int HEADER_LENGTH_OFFSET = 24;
    public static final int CONSUMER_SLOT_COUNT_OFFSET = 28;
    public static final int CREATOR_PID_OFFSET = 32;
    public static final int CREATOR_START_TIME_OFFSET = 40;
    public static final int CREATED_EPOCH_MS_OFFSET = 48;
    public static final int FILE_LENGTH_OFFSET = 56;

    public static final int TAIL_POSITION_OFFSET = 128;
    public static final int CLEAN_POSITION_OFFSET = 256;

    public static final int RING_BLOCK_OFFSET = 384;
    public static final int RING_LOCK_TOKEN_OFFSET = RING_BLOCK_OFFSET;
    public static final int EXCLUSIVE_PRODUCER_TOKEN_OFFSET = RING_BLOCK_OFFSET + 8;
    public static final int BASE_POSITION_OFFSET = RING_BLOCK_OFFSET + 16;
    public static final int UNBLOCKED_RECORDS_OFFSET = RING_BLOCK_OFFSET + 24;
    public static final int UNBLOCKED_BYTES_OFFSET = RING_BLOCK_OFFSET + 32;
    public static final int DROPPED_CONSUMERS_OFFSET = RING_BLOCK_OFFSET + 40;
    public static final int CLEANED_BYTES_OFFSET = RING_BLOCK_OFFSET + 48;
    /** Offset of the consumer pid namespace table: 16 unsigned 32-bit ids, one per consumer slot. */
    public static final int CONSUMER_PID_NAMESPACES_OFFSET = RING_BLOCK_OFFSET + 56;
    /** Bytes of one entry of the consumer pid namespace table. */
    public static final int CONSUMER_PID_NAMESPACE_LENGTH = 4;

    public static final int CONSUMER_SLOTS_OFFSET = 512;
    /** Consumer slots of every version-2 segment. */
    public static final int CONSUMER_SLOT_COUNT = 16;
    /** Bytes of one consumer slot. */
    public static final int CONSUMER_SLOT_LENGTH = BLOCK_LENGTH;
    public static final int PRODUCER_SLOTS_OFFSET = CONSUMER_SLOTS_OFFSET + CONSUMER_SLOT_COUNT * CONSUMER_SLOT_LENGTH;
    /** Bytes of one producer slot. */
    public static final int PRODUCER_SLOT_LENGTH = BLOCK_LENGTH;

    /** Smallest data capacity a segment accepts. */
    public static final int MIN_CAPACITY = 1024;
    /** Largest data capacity: offsets into the mapping are {@code int}s. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** Most producer slots a segment may have. */
    public static final int MAX_PRODUCER_SLOTS = 4096;
    /** Most counters a segment may have. */
    public static final int MAX_COUNTERS = 4096;

    private SegmentDescriptor()
    {
    }

    /**
     * @param producerSlotCount number of producer slots.
     * @return offset of the counters metadata area.
     */
    public static int countersMetadataOffset(final int producerSlotCount)
    {
        return PRODUCER_SLOTS_OFFSET + producerSlotCount * PRODUCER_SLOT_LENGTH;
    }

    /**
     * @param producerSlotCount number of producer slots.
     * @param counterCount      number of counters.
     * @return offset of the counters values area.
     */
    public static int countersValuesOffset(final int producerSlotCount, final int counterCount)
    {
        return countersMetadataOffset(producerSlotCount) + counterCount * CountersReader.METADATA_LENGTH;
    }

    /**
     * @param producerSlotCount number of producer slots.
     * @param counterCount      number of counters.
     * @return header length, which is also the offset of the data area.
     */
    public static int headerLength(final int producerSlotCount, final int counterCount)
    {
        final int end = countersValuesOffset(producerSlotCount, counterCount) + counterCount * CountersReader.COUNTER_LENGTH;
        return BitUtil.align(end, HEADER_ALIGNMENT);
    }

    /**
     * @param slotIndex index of a producer slot.
     * @return offset of that slot from the start of the file.
     */
    public static int producerSlotOffset(final int slotIndex)
    {
        return PRODUCER_SLOTS_OFFSET + slotIndex * PRODUCER_SLOT_LENGTH;
    }

    /**
     * @param slotIndex index of a consumer slot, below {@link #CONSUMER_SLOT_COUNT}.
     * @return offset of that slot from the start of the file.
     */
    public static int consumerSlotOffset(final int slotIndex)
    {
        return CONSUMER_SLOTS_OFFSET + slotIndex * CONSUMER_SLOT_LENGTH;
    }

    /**
     * @param slotIndex consumer slot index, {@code 0..15}.
     * @return offset of that slot's entry in the consumer pid namespace table (in the ring block).
     */
    public static int consumerPidNamespaceOffset(final int slotIndex)
    {
        return CONSUMER_PID_NAMESPACES_OFFSET + slotIndex * CONSUMER_PID_NAMESPACE_LENGTH;
    }

    /**
     * Check a data capacity.
     *
     * @param capacity bytes of the data area.
     * @return null when valid, else the problem in the form {@code "<problem>: expected X, found Y"}.
     */
    public static String checkCapacity(final long capacity)
    {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY)
        {
            return "capacity out of range: expected " + MIN_CAPACITY + ".." + MAX_CAPACITY + " bytes, found " + capacity;
        }
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            return "capacity is not a power of two: found " + capacity;
        }
        return null;
    }

    /**
     * Check a maximum record (payload) length against a capacity.
     *
     * @param maxRecordLength largest payload in bytes.
     * @param capacity        bytes of the data area (already valid).
     * @return null when valid, else the problem.
     */
    public static String checkMaxRecordLength(final long maxRecordLength, final long capacity)
    {
        final long limit = maxRecordLengthLimit(capacity);
        if (maxRecordLength < 1 || maxRecordLength > limit)
        {
            return "maxRecordLength out of range: expected 1.." + limit + " for capacity " + capacity +
                ", found " + maxRecordLength;
        }
        return null;
    }

    /**
     * The largest payload a ring of this capacity accepts: an aligned record never exceeds a quarter of the ring,
     * so a record that must wrap always fits once the ring has drained.
     *
     * @param capacity bytes of the data area.
     * @return the largest allowed {@code maxRecordLength}.
     */
    public static int maxRecordLengthLimit(final long capacity)
    {
        return (int)(capacity / 4) - RECORD_HEADER_LENGTH;
    }

    /**
     * Check a producer slot count.
     *
     * @param count producer slots.
     * @return null when valid, else the problem.
     */
    public static String checkProducerSlotCount(final long count)
    {
        return count < 1 || count > MAX_PRODUCER_SLOTS ?
            "producerSlotCount out of range: expected 1.." + MAX_PRODUCER_SLOTS + ", found " + count : null;
    }

    /**
     * Check a consumer slot count read from a file.
     *
     * @param count consumer slots.
     * @return null when valid, else the problem.
     */
    public static String checkConsumerSlotCount(final long count)
    {
        return count != CONSUMER_SLOT_COUNT ?
            "consumerSlotCount mismatch: expected " + CONSUMER_SLOT_COUNT + ", found " + count : null;
    }

    /**
     * Check a counter count.
     *
     * @param count counters.
     * @return null when valid, else the problem.
     */
    public static String checkCounterCount(final long count)
    {
        return count < 0 || count > MAX_COUNTERS ?
            "counterCount out of range: expected 0.." + MAX_COUNTERS + ", found " + count : null;
    }
}

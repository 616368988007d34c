package io.herz.ipc.segment;

import io.herz.ipc.ring.RecordDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of a Herz segment file, layout version 1. All integers are little-endian. A segment is one file: this
 * header, then the ring's data area ({@code capacity} bytes), nothing else. Every hot field owns a 128-byte block
 * (two cache lines, because the adjacent-line prefetcher pairs them) so producers and the consumer never
 * false-share. {@code docs/LAYOUT.md} holds the same table for readers in other languages; {@code LayoutTest}
 * keeps the two in step.
 * <pre>
 * offset size field                writer                               reader
 *      0    4 magic "HERZ"         creator                              open()
 *      4    4 layoutVersion (1)    creator, last: F0 release            open(): F1 acquire, bounded wait
 *      8    4 capacity (2^n)       creator                              all
 *     12    4 maxRecordLength      creator (payload bytes)              all
 *     16    4 producerSlotCount    creator                              all
 *     20    4 counterCount         creator                              all
 *     24    4 headerLength         creator (= offset of the data area)  all
 *     28    4 reserved (0)
 *     32    8 creatorPid           creator                              monitor
 *     40    8 creatorStartTimeMs   creator                              monitor
 *     48    8 createdEpochMs       creator                              monitor
 *     56    8 fileLength           creator                              open()
 *    128    8 tailPosition         producers: F5 CAS                    producers F2, consumer F10 (acquire)
 *    256    8 headPosition         consumer: F9 release                 producers: F3 acquire
 *    384  128 consumer block       see below
 *    512  128 producer slot 0      see ProducerSlotDescriptor
 *    ...      producer slot n-1
 *      S  512 x counterCount       Agrona counters metadata (CountersReader layout)
 *      V  128 x counterCount       Agrona counters values
 *      H      data area            capacity bytes of records, see RecordDescriptor
 *
 * S = 512 + 128 * producerSlotCount, V = S + 512 * counterCount, H = headerLength = align(V + 128 * counterCount,
 * 4096), file length = H + capacity.
 *
 * consumer block (one 128-byte block; written by the one consumer, read by monitors and the next consumer)
 *    384    8 consumerToken        consumer: F15 CAS (pid &lt;&lt; 32 | startTimeMs &amp; 0xFFFFFFFF; 0 = none)
 *    392    8 consumerPid          consumer, plain before F15's successor release below
 *    400    8 consumerStartTimeMs  consumer
 *    408    8 consumerHeartbeatMs  consumer: release                     monitor: acquire
 *    416    8 pendingHeadPosition  consumer: F13 release before zeroing  restarted consumer: F14 acquire
 *    424    8 recordsConsumed      consumer: release per batch           monitor: acquire
 *    432    8 unblockedRecords     consumer: release                     monitor: acquire
 *    440    8 unblockedBytes       consumer: release                     monitor: acquire
 * </pre>
 */
public final class SegmentDescriptor
{
    /** "HERZ" as little-endian bytes 'H' 'E' 'R' 'Z'. */
    public static final int MAGIC = 0x5A52_4548;
    /** The layout version this code writes and reads. */
    public static final int LAYOUT_VERSION = 1;

    /** Bytes of one hot-field block: two cache lines. */
    public static final int BLOCK_LENGTH = 128;
    /** The header length is a multiple of this, so the data area starts page aligned. */
    public static final int HEADER_ALIGNMENT = 4096;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 4;
    public static final int CAPACITY_OFFSET = 8;
    public static final int MAX_RECORD_LENGTH_OFFSET = 12;
    public static final int PRODUCER_SLOT_COUNT_OFFSET = 16;
    public static final int COUNTER_COUNT_OFFSET = 20;
    public static final int HEADER_LENGTH_OFFSET = 24;
    public static final int CREATOR_PID_OFFSET = 32;
    public static final int CREATOR_START_TIME_OFFSET = 40;
    public static final int CREATED_EPOCH_MS_OFFSET = 48;
    public static final int FILE_LENGTH_OFFSET = 56;

    public static final int TAIL_POSITION_OFFSET = 128;
    public static final int HEAD_POSITION_OFFSET = 256;

    public static final int CONSUMER_BLOCK_OFFSET = 384;
    public static final int CONSUMER_TOKEN_OFFSET = CONSUMER_BLOCK_OFFSET;
    public static final int CONSUMER_PID_OFFSET = CONSUMER_BLOCK_OFFSET + 8;
    public static final int CONSUMER_START_TIME_OFFSET = CONSUMER_BLOCK_OFFSET + 16;
    public static final int CONSUMER_HEARTBEAT_OFFSET = CONSUMER_BLOCK_OFFSET + 24;
    public static final int PENDING_HEAD_POSITION_OFFSET = CONSUMER_BLOCK_OFFSET + 32;
    public static final int RECORDS_CONSUMED_OFFSET = CONSUMER_BLOCK_OFFSET + 40;
    public static final int UNBLOCKED_RECORDS_OFFSET = CONSUMER_BLOCK_OFFSET + 48;
    public static final int UNBLOCKED_BYTES_OFFSET = CONSUMER_BLOCK_OFFSET + 56;

    public static final int PRODUCER_SLOTS_OFFSET = 512;

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
        return PRODUCER_SLOTS_OFFSET + producerSlotCount * ProducerSlotDescriptor.SLOT_LENGTH;
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
        return PRODUCER_SLOTS_OFFSET + slotIndex * ProducerSlotDescriptor.SLOT_LENGTH;
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
        return (int)(capacity / 4) - RecordDescriptor.HEADER_LENGTH;
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

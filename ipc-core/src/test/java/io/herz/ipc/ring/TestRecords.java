package io.herz.ipc.ring;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The records the multi-process and wrap-around tests exchange. Payload layout (little-endian, as the ring):
 * <pre>
 * offset size field
 *      0    4 producerId
 *      4    4 checksum over every other payload byte (see {@link #checksum})
 *      8    8 sequence (per producer, from 0)
 *     16    n fill, a pattern derived from producer id, sequence and position
 * </pre>
 * The payload length is a function of producer id and sequence ({@link #payloadLength}), so the consumer can tell a
 * torn or misplaced length from a good one without trusting the record.
 */
final class TestRecords
{
    static final int DATA_TYPE_ID = 1;
    static final int ABORTED_TYPE_ID = 2;

    static final int PRODUCER_ID_OFFSET = 0;
    static final int CHECKSUM_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int FILL_OFFSET = 16;
    static final int MIN_PAYLOAD_LENGTH = FILL_OFFSET;

    /** Every this many records of a producer has the maximum length. */
    static final long MAX_LENGTH_PERIOD = 49_999;

    private TestRecords()
    {
    }

    static long mix(final long value)
    {
        long z = value * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 32)) * 0xD6E8_FEB8_6659_FD93L;
        return z ^ (z >>> 32);
    }

    /**
     * @param producerId      producer.
     * @param sequence        per-producer sequence.
     * @param maxRecordLength longest payload the ring accepts.
     * @param spread          how many lengths above the minimum ordinary records use.
     * @return the payload length of that record: mostly 16..16+spread-1 (rarely a multiple of 8), every
     * {@link #MAX_LENGTH_PERIOD}th the maximum.
     */
    static int payloadLength(final int producerId, final long sequence, final int maxRecordLength, final int spread)
    {
        return payloadLength(producerId, sequence, maxRecordLength, spread, MAX_LENGTH_PERIOD);
    }

    /**
     * @param maxLengthPeriod every this many records of a producer has the maximum length.
     * @return as {@link #payloadLength(int, long, int, int)}, with the given period of maximum-length records.
     */
    static int payloadLength(
        final int producerId, final long sequence, final int maxRecordLength, final int spread,
        final long maxLengthPeriod)
    {
        if (sequence % maxLengthPeriod == maxLengthPeriod - 1)
        {
            return maxRecordLength;
        }
        final long h = mix(sequence * 31 + producerId);
        return Math.min(maxRecordLength, MIN_PAYLOAD_LENGTH + (int)((h >>> 1) % spread));
    }

    /**
     * Write a whole record payload.
     */
    static void write(
        final MutableDirectBuffer buffer, final int index, final int producerId, final long sequence, final int length)
    {
        buffer.putInt(index + PRODUCER_ID_OFFSET, producerId);
        buffer.putLong(index + SEQUENCE_OFFSET, sequence);
        final long seed = mix(sequence ^ ((long)producerId << 48));
        final int fillEnd = index + length;
        int i = index + FILL_OFFSET;
        long k = 0;
        for (; i + 8 <= fillEnd; i += 8)
        {
            buffer.putLong(i, seed + k++ * 0x9E37_79B9_7F4A_7C15L);
        }
        for (; i < fillEnd; i++)
        {
            buffer.putByte(i, (byte)(seed >>> (i & 7) * 8));
        }
        buffer.putInt(index + CHECKSUM_OFFSET, checksum(buffer, index, length));
    }

    /**
     * @return checksum of the payload at {@code index}: every byte except the checksum field itself.
     */
    static int checksum(final DirectBuffer buffer, final int index, final int length)
    {
        long h = 0x1234_5678_9ABC_DEF0L ^ length;
        h = step(h, buffer.getInt(index + PRODUCER_ID_OFFSET));
        final int end = index + length;
        int i = index + SEQUENCE_OFFSET;
        for (; i + 8 <= end; i += 8)
        {
            h = step(h, buffer.getLong(i));
        }
        for (; i < end; i++)
        {
            h = step(h, buffer.getByte(i));
        }
        return (int)(h ^ (h >>> 32));
    }

    private static long step(final long h, final long value)
    {
        return (Long.rotateLeft(h, 23) ^ value) * 0x9E37_79B9_7F4A_7C15L;
    }
}

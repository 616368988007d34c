package io.herz.bench.ring;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 64-byte benchmark message, the same for every peer. Written in place into claimed ring space as eight
 * 8-byte stores, so every payload byte is written.
 * <pre>
 * offset size field
 *      0    8 sequence     per-producer, from 0
 *      8    8 timestampNs  System.nanoTime() of the send (latency runs; 0 otherwise)
 *     16    8 producerId   application id of the producer, 0..producers-1
 *     24   40 fill         five words of sequence ^ FILL_PATTERN; the consumer checks the last one
 * </pre>
 */
public final class BenchPayload
{
    /** Payload bytes. */
    public static final int LENGTH = 64;
    /** Record type id used for every benchmark message. */
    public static final int TYPE_ID = 1;

    public static final int SEQUENCE_OFFSET = 0;
    public static final int TIMESTAMP_OFFSET = 8;
    public static final int PRODUCER_ID_OFFSET = 16;
    public static final int FILL_OFFSET = 24;
    public static final int LAST_FILL_OFFSET = 56;
    public static final long FILL_PATTERN = 0x5A5A_A5A5_0F0F_F0F0L;

    private BenchPayload()
    {
    }

    /**
     * Write one message.
     *
     * @param buffer      claimed ring buffer.
     * @param index       payload offset from the claim.
     * @param producerId  id of the producer.
     * @param sequence    per-producer sequence.
     * @param timestampNs send time, or 0.
     */
    public static void write(
        final MutableDirectBuffer buffer, final int index, final int producerId, final long sequence,
        final long timestampNs)
    {
        final long fill = sequence ^ FILL_PATTERN;
        buffer.putLong(index + SEQUENCE_OFFSET, sequence);
        buffer.putLong(index + TIMESTAMP_OFFSET, timestampNs);
        buffer.putLong(index + PRODUCER_ID_OFFSET, producerId);
        buffer.putLong(index + FILL_OFFSET, fill);
        buffer.putLong(index + FILL_OFFSET + 8, fill);
        buffer.putLong(index + FILL_OFFSET + 16, fill);
        buffer.putLong(index + FILL_OFFSET + 24, fill);
        buffer.putLong(index + LAST_FILL_OFFSET, fill);
    }

    /**
     * @param buffer ring buffer.
     * @param index  payload offset.
     * @return the sequence.
     */
    public static long sequence(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + SEQUENCE_OFFSET);
    }

    /**
     * @param buffer ring buffer.
     * @param index  payload offset.
     * @return the producer id.
     */
    public static long producerId(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + PRODUCER_ID_OFFSET);
    }

    /**
     * @param buffer ring buffer.
     * @param index  payload offset.
     * @return the send timestamp.
     */
    public static long timestampNs(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer ring buffer.
     * @param index  payload offset.
     * @return true if the last fill word matches the sequence (no torn or stale payload).
     */
    public static boolean isFillIntact(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + LAST_FILL_OFFSET) == (buffer.getLong(index + SEQUENCE_OFFSET) ^ FILL_PATTERN);
    }
}

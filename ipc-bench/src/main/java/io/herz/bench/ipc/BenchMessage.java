package io.herz.bench.ipc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The benchmark message, the same bytes on every transport, of any length from {@link #MIN_LENGTH} in steps of 8.
 * Written in place into the claimed space, one 8-byte store per word, so every byte is written.
 * <pre>
 * offset size field
 *      0    8 sequence     per producer, from 0
 *      8    8 intendedNs   the send time the fixed-rate schedule gave this message (paced runs), else 0
 *     16    8 sentNs       System.nanoTime() just before the first claim attempt (paced runs), else 0
 *     24    8 producerId   0..producers-1
 *     32  ... fill         words of sequence ^ FILL_PATTERN; the checker reads the last one
 * </pre>
 * {@code System.nanoTime()} is {@code CLOCK_MONOTONIC} on Linux, one clock for every process of the host, so the
 * consumer's clock minus either stamp is a one-way latency.
 */
final class BenchMessage
{
    /** Record type id of every benchmark message. */
    static final int TYPE_ID = 1;

    /** Shortest message: the header plus one fill word. */
    static final int MIN_LENGTH = 40;

    static final int SEQUENCE_OFFSET = 0;
    static final int INTENDED_OFFSET = 8;
    static final int SENT_OFFSET = 16;
    static final int PRODUCER_ID_OFFSET = 24;
    static final int FILL_OFFSET = 32;
    static final long FILL_PATTERN = 0x5A5A_A5A5_0F0F_F0F0L;

    private BenchMessage()
    {
    }

    /**
     * @param length a message length.
     * @return null if usable, else the problem.
     */
    static String checkLength(final int length)
    {
        if (length < MIN_LENGTH || (length & 7) != 0)
        {
            return "message length: expected a multiple of 8 of at least " + MIN_LENGTH + ", found " + length;
        }
        return null;
    }

    static void write(
        final MutableDirectBuffer buffer, final int index, final int length, final int producerId,
        final long sequence, final long intendedNs, final long sentNs)
    {
        buffer.putLong(index + SEQUENCE_OFFSET, sequence);
        buffer.putLong(index + INTENDED_OFFSET, intendedNs);
        buffer.putLong(index + SENT_OFFSET, sentNs);
        buffer.putLong(index + PRODUCER_ID_OFFSET, producerId);
        final long fill = sequence ^ FILL_PATTERN;
        for (int offset = FILL_OFFSET; offset < length; offset += 8)
        {
            buffer.putLong(index + offset, fill);
        }
    }

    static long sequence(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + SEQUENCE_OFFSET);
    }

    static long intendedNs(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + INTENDED_OFFSET);
    }

    static long sentNs(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + SENT_OFFSET);
    }

    static long producerId(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + PRODUCER_ID_OFFSET);
    }

    /**
     * @return true if the first and the last fill word match the sequence (no torn or stale payload).
     */
    static boolean isFillIntact(final DirectBuffer buffer, final int index, final int length)
    {
        final long fill = buffer.getLong(index + SEQUENCE_OFFSET) ^ FILL_PATTERN;
        return buffer.getLong(index + FILL_OFFSET) == fill && buffer.getLong(index + length - 8) == fill;
    }
}

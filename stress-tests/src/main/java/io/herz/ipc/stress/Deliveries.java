package io.herz.ipc.stress;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Records what a consumer delivered as a decimal sequence of type ids, checking each payload on the way: type 1
 * then type 2 reads {@code 12}; a record whose length or any payload word is not what its producer wrote reads as
 * {@value #CORRUPT}. Types are 1..8, so every digit names one record.
 * <p>
 * Payload convention shared by all suites: a record of type {@code t} carries {@code length / 8} long words, word
 * {@code i} being {@link #word(int, int)}; both halves of every word are non-zero and differ between types and
 * positions, so a stale, zeroed, torn or misplaced word never passes.
 */
final class Deliveries implements MessageHandler
{
    /** Digit recorded for a record whose length or payload is wrong. */
    static final int CORRUPT = 9;

    private final int[] payloadLengthByType;
    private int sequence;

    /**
     * @param payloadLengthByType expected payload length of type {@code t} at index {@code t} (index 0 unused).
     */
    Deliveries(final int... payloadLengthByType)
    {
        this.payloadLengthByType = payloadLengthByType;
    }

    public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final boolean intact = typeId > 0 && typeId < payloadLengthByType.length && typeId < CORRUPT &&
            length == payloadLengthByType[typeId] && check(buffer, index, typeId, length);
        sequence = sequence * 10 + (intact ? typeId : CORRUPT);
    }

    /**
     * @return the sequence delivered since the last call, then start a new one.
     */
    int take()
    {
        final int taken = sequence;
        sequence = 0;
        return taken;
    }

    /**
     * @param typeId record type.
     * @param i      word index in the payload.
     * @return the payload word a producer of that type writes at that index.
     */
    static long word(final int typeId, final int i)
    {
        return ((long)(0x10 | typeId) << 56) | ((long)(i + 1) << 40) | 0x00A5_5A00_C3C3_0000L | (typeId << 8) | i;
    }

    /**
     * Write a payload by plain stores: the producer's commit (F7) publishes it.
     */
    static void write(final AtomicBuffer buffer, final int index, final int typeId, final int length)
    {
        for (int i = 0, n = length / Long.BYTES; i < n; i++)
        {
            buffer.putLong(index + i * Long.BYTES, word(typeId, i));
        }
    }

    static boolean check(final DirectBuffer buffer, final int index, final int typeId, final int length)
    {
        for (int i = 0, n = length / Long.BYTES; i < n; i++)
        {
            if (buffer.getLong(index + i * Long.BYTES) != word(typeId, i))
            {
                return false;
            }
        }
        return true;
    }
}

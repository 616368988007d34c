package io.herz.ipc.ring;

import org.agrona.BitUtil;

/**
 * Layout of one record in the ring's data area. Records start at 8-byte aligned offsets; a record never straddles
 * the end of the data area: a producer whose record would, first fills the rest with a padding record.
 * <pre>
 * offset size field       meaning
 *      0    4 length      0: free or claimed, header not yet written;
 *                         &lt; 0: claimed, not committed (-recordLength; F6 release);
 *                         &gt; 0: committed record of this many bytes, header included (F7 release, F8 acquire)
 *      4    4 typeId      &gt; 0: application type (e.g. an SBE template id); -1: padding, skip it
 *      8    n payload     n = length - 8 bytes
 *    8+n      (zero fill up to the next multiple of 8)
 * </pre>
 * The header word (length and type) is written as one 8-byte store, so a reader never sees one half of it from an
 * older record. Consumed bytes are zeroed by the consumer before it releases them (F9), so a producer always
 * claims zeroed space and a length of 0 reliably means "not yet written".
 */
public final class RecordDescriptor
{
    /** Bytes of the record header: length and type. */
    public static final int HEADER_LENGTH = 8;
    /** Records start at offsets that are multiples of this. */
    public static final int ALIGNMENT = 8;
    /** Type of a padding record, which the consumer skips. */
    public static final int PADDING_TYPE_ID = -1;

    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;

    private RecordDescriptor()
    {
    }

    /**
     * @param recordOffset offset of the record.
     * @return offset of the length field.
     */
    public static int lengthOffset(final int recordOffset)
    {
        return recordOffset + LENGTH_OFFSET;
    }

    /**
     * @param recordOffset offset of the record.
     * @return offset of the type field.
     */
    public static int typeOffset(final int recordOffset)
    {
        return recordOffset + TYPE_OFFSET;
    }

    /**
     * @param recordOffset offset of the record.
     * @return offset of the payload.
     */
    public static int payloadOffset(final int recordOffset)
    {
        return recordOffset + HEADER_LENGTH;
    }

    /**
     * The 8-byte header word as stored little-endian: the length in the low half, the type in the high half.
     *
     * @param length signed length field.
     * @param typeId type field.
     * @return the header word.
     */
    public static long headerWord(final int length, final int typeId)
    {
        return ((long)typeId << 32) | (length & 0xFFFF_FFFFL);
    }

    /**
     * @param payloadLength bytes of payload.
     * @return bytes the record occupies in the ring, header and alignment included.
     */
    public static int alignedRecordLength(final int payloadLength)
    {
        return BitUtil.align(payloadLength + HEADER_LENGTH, ALIGNMENT);
    }

    /**
     * Check an application type id.
     *
     * @param typeId the type.
     * @throws IllegalArgumentException when not positive.
     */
    public static void checkTypeId(final int typeId)
    {
        if (typeId < 1)
        {
            throw new IllegalArgumentException("typeId must be positive: found " + typeId);
        }
    }
}

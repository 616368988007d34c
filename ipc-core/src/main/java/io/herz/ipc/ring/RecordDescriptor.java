package io.herz.ipc.ring;

import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.BitUtil;

/**
 * Layout of one record in the ring's data area, layout version 2. Records start at 8-byte aligned offsets; a record
 * never straddles the end of the data area: a producer whose record would, first fills the rest with a padding
 * record.
 * <pre>
 * offset size field       meaning
 *      0    4 length      0: clean (zeroed by the cleaning producer, F21), claimed but header not yet written;
 *                         &lt; 0: claimed, not committed: -recordLength (F6 CAS from 0);
 *                         &gt; 0: committed record of this many bytes, header included (F7 CAS, F8 acquire)
 *      4    4 typeId      when length &gt; 0: &gt; 0 application type (e.g. an SBE template id), -1 padding (skip it);
 *                         when length &lt; 0: the claim stamp, {@code (int)(position >>> 3)}, so that a claimed word
 *                         of one lap never equals the claimed word of another lap at the same offset
 *      8    n payload     n = length - 8 bytes
 *    8+n      (unspecified up to the next multiple of 8: bytes of an earlier lap)
 * </pre>
 * The header word (length and type or stamp) is one 8-byte field, written and compared as a whole, so a reader
 * never sees one half of it from an older record.
 * <p>
 * <b>No zeroing by consumers.</b> Consumers only read. Space is cleaned (zeroed) in bulk by a producer before it is
 * claimed again (see {@code RingCleaner}); {@code cleanPosition} in the header says up to where the space beyond
 * the tail is known to be zero. A reader reads the header at position {@code p} only once it has seen
 * {@code cleanPosition > p} (F19), which makes the zeroing of {@code p} for this lap visible, so at {@code p} it
 * sees zero, a claimed word of this lap or a committed word of this lap, and never a byte of an earlier lap, even a
 * payload crafted to look like a header.
 */
public final class RecordDescriptor
{
    /** Bytes of the record header: length and type. */
    public static final int HEADER_LENGTH = SegmentDescriptor.RECORD_HEADER_LENGTH;
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
     * The header word of a claimed, uncommitted record: {@code -recordLength} and the claim stamp of its position.
     *
     * @param position     position of the record.
     * @param recordLength bytes of the record, header included, unaligned.
     * @return the claimed header word.
     */
    public static long claimedWord(final long position, final int recordLength)
    {
        return headerWord(-recordLength, claimStamp(position));
    }

    /**
     * @param position position of a record.
     * @return its claim stamp: the position in 8-byte units, truncated to 32 bits. Two positions at the same offset
     * have the same stamp only when they are a multiple of 2^35 bytes (32 GiB) apart: every 2^35 / capacity laps
     * (2048 laps of a 16 MiB ring, 32 of a 1 GiB one); see "Lap collisions" in {@code package-info.java}.
     */
    public static int claimStamp(final long position)
    {
        return (int)(position >>> 3);
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

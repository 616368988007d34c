package io.herz.ipc.ring;

import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.BitUtil;

/**
 * Layout of one record in the ring's data area, layout version 3. Records start at 8-byte aligned offsets; a record
 * never straddles the end of the data area: a producer whose record would, first fills the rest with a padding
 * record.
 * <pre>
 * offset size field       meaning
 *      0    4 length      0: clean (the clean word of this lap, written by the cleaning producer, F21): free, or
 *                         claimed and not committed yet (a shared claim writes no header);
 *                         &gt; 0: committed record of this many bytes, header included (F7 CAS from the clean word,
 *                         F8 acquire); &lt; 0: never written (a corrupt file)
 *      4    4 typeId      when length &gt; 0: &gt; 0 application type (e.g. an SBE template id), -1 padding (skip it);
 *                         when length is 0: the lap of the position, {@code (int)(position / capacity)}, so that
 *                         the clean word of one lap never equals the clean word of another at the same offset
 *      8    n payload     n = length - 8 bytes
 *    8+n      (unspecified up to the next multiple of 8: bytes of an earlier lap)
 * </pre>
 * The header word (length and type or lap) is one 8-byte field, written and compared as a whole, so a reader never
 * sees one half of it from an older record. The clean word of lap 0 is 0: a new file's zeroed data area is clean.
 * <p>
 * <b>No zeroing by consumers.</b> Consumers only read. Space is cleaned in bulk by a producer before it is claimed
 * again (see {@code RingCleaner}): every 8-byte word of it gets the clean word of the lap it is cleaned for;
 * {@code cleanPosition} in the header says up to where the space beyond the tail is known to be clean. A reader
 * reads the header at position {@code p} only once it has seen {@code cleanPosition > p} (F19), which makes the
 * cleaning of {@code p} for this lap visible, so at {@code p} it sees this lap's clean word or a committed word of
 * this lap, and never a byte of an earlier lap, even a payload crafted to look like a header.
 * <p>
 * <b>Why lap-stamped clean words</b> (layout version 3; version 2 wrote a claimed word, {@code -length} and a claim
 * stamp, by CAS at every shared claim). A commit goes by CAS from the clean word of its position's lap to the
 * committed word (F7): it fails when an unblocker turned the claim into padding meanwhile, and on any later lap
 * (another lap number), so a claim needs no header store of its own: one locked instruction and one transfer of the
 * header's line to and from a consumer spinning on it fewer per record.
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
     * The clean word of a lap: length 0, the lap number (truncated to 32 bits) as the type half.
     *
     * @param lap the lap, {@code position / capacity}.
     * @return the clean word every 8-byte word of clean space of that lap holds.
     */
    public static long cleanWord(final long lap)
    {
        return headerWord(0, (int)lap);
    }

    /**
     * The clean word at a position.
     *
     * @param position      a position.
     * @param capacityShift {@code log2(capacity)} of the data area.
     * @return the clean word of the position's lap. Two positions at the same offset have the same clean word only
     * when they are 2^32 laps apart (4 TiB of traffic through the smallest ring); see "Lap collisions" in
     * {@code package-info.java}.
     */
    public static long cleanWordAt(final long position, final int capacityShift)
    {
        return cleanWord(position >>> capacityShift);
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

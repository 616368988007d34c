package io.herz.aeron;

/**
 * How a Herz message rides in an Aeron frame. The payload is the message's bytes exactly (an SBE message is byte
 * for byte what it is in a Herz ring); the message type travels in the frame header's 64-bit reserved value, which
 * Aeron leaves to the application and copies into every fragment of a message larger than the MTU:
 * <pre>
 * reserved value (little-endian long, data header offset 24)
 *   bits 63..32  magic 0x4845525A ("HERZ"): a frame without it came from a publisher that is not Herz
 *   bits 31..0   message type id, positive
 * </pre>
 * A subscription skips and counts frames without the magic.
 */
public final class AeronFrames
{
    /** The high 32 bits of the reserved value of every Herz frame. */
    public static final int MAGIC = 0x4845525A;

    private AeronFrames()
    {
    }

    /**
     * @param typeId message type, positive.
     * @return the reserved value carrying it.
     */
    public static long reservedValue(final int typeId)
    {
        return ((long)MAGIC << 32) | (typeId & 0xFFFF_FFFFL);
    }

    /**
     * @param reservedValue of a frame.
     * @return true when the frame is a Herz message.
     */
    public static boolean isHerz(final long reservedValue)
    {
        return (int)(reservedValue >>> 32) == MAGIC;
    }

    /**
     * @param reservedValue of a Herz frame.
     * @return the message type.
     */
    public static int typeId(final long reservedValue)
    {
        return (int)reservedValue;
    }
}

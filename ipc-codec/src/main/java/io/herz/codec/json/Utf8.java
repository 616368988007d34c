package io.herz.codec.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
 * Both parsers skip the strings of fields they do not project without decoding them, so this check is what makes
 * every line either valid UTF-8 or reported, whichever parser reads it.
 */
final class Utf8
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8()
    {
    }

    /**
     * @return offset (from {@code offset}) of the first byte of the first invalid sequence, or -1 if all is valid.
     */
    static int indexOfInvalid(final byte[] bytes, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i + 8 <= end && ((long)LONGS.get(bytes, i) & HIGH_BITS) == 0)
        {
            i += 8; // eight ASCII bytes
        }
        while (i < end)
        {
            final int b = bytes[i];
            if (b >= 0)
            {
                i++;
                continue;
            }
            final int sequenceLength = sequenceLength(bytes, i, end);
            if (sequenceLength < 0)
            {
                return i - offset;
            }
            i += sequenceLength;
        }
        return -1;
    }

    private static int sequenceLength(final byte[] bytes, final int i, final int end)
    {
        final int b0 = bytes[i] & 0xFF;
        if (b0 >= 0xC2 && b0 <= 0xDF)
        {
            return i + 1 < end && isContinuation(bytes[i + 1]) ? 2 : -1;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF)
        {
            if (i + 2 >= end || !isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2]))
            {
                return -1;
            }
            final int b1 = bytes[i + 1] & 0xFF;
            if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0))
            {
                return -1; // overlong, or a UTF-16 surrogate
            }
            return 3;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4)
        {
            if (i + 3 >= end || !isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2]) ||
                !isContinuation(bytes[i + 3]))
            {
                return -1;
            }
            final int b1 = bytes[i + 1] & 0xFF;
            if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90))
            {
                return -1; // overlong, or above U+10FFFF
            }
            return 4;
        }
        return -1;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}

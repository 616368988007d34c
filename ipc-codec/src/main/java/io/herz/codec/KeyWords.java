package io.herz.codec;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A key read as 64-bit little-endian words, the last one holding the key's last {@code length % 8} bytes in its
 * low bytes and zeros above them: the form in which a key sits in its zero-padded field of an event or a window
 * result, and in which {@code KeyTable} hashes and compares keys. Reading the last word whole and masking it is one
 * load instead of up to seven; it reads up to seven bytes past the key, so it is done only where the buffer has
 * them ({@link #hasWordSlack}): a key at the very end of a buffer (a view that ends with the key, a short line's
 * field at the end of a file) is assembled byte by byte into the same word.
 */
public final class KeyWords
{
    private KeyWords()
    {
    }

    /**
     * Whether the words that hold a key lie inside the buffer: the key rounded up to whole words ends within the
     * buffer's capacity. (Checked here rather than left to Agrona's bounds checks, which a stage may turn off.)
     *
     * @param buffer holding the key.
     * @param offset where the key starts.
     * @param length the key's length in bytes.
     * @return true if the last word can be read whole.
     */
    public static boolean hasWordSlack(final DirectBuffer buffer, final int offset, final int length)
    {
        return (long)offset + ((length + Long.BYTES - 1) & ~(Long.BYTES - 1)) <= buffer.capacity();
    }

    /**
     * The key's last, partial word: its {@code tailBytes} bytes at {@code offset} in the low bytes (little-endian),
     * zeros above.
     *
     * @param buffer    holding the key.
     * @param offset    where the partial word starts (the key's offset plus its whole words).
     * @param tailBytes the key's length modulo 8: 1 to 7.
     * @param slack     {@link #hasWordSlack} for the key: read the word whole and mask it, else byte by byte.
     * @return the word.
     */
    public static long lastWord(final DirectBuffer buffer, final int offset, final int tailBytes, final boolean slack)
    {
        if (slack)
        {
            return buffer.getLong(offset, LITTLE_ENDIAN) & ((1L << (tailBytes << 3)) - 1);
        }
        long word = 0;
        for (int i = tailBytes - 1; i >= 0; i--)
        {
            word = (word << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return word;
    }
}

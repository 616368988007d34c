package io.herz.window;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Hashing;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Interns keys (byte strings of at most {@link #MAX_KEY_LENGTH} bytes, ASCII by convention) to dense int ids
 * 0, 1, 2, ... in order of first sight, and keeps each id's bytes readable at {@link #offset(int)} in
 * {@link #buffer()} (a fixed slot of {@link #MAX_KEY_LENGTH} bytes per id).
 * <p>
 * The lookup is an open-addressing table of {@code (tag, id + 1)} int pairs with linear probing, at most half
 * full; a tag is the key's hash with its low 6 bits replaced by the key's length. The hash is computed a 64-bit
 * word at a time straight from the caller's buffer (the last word read whole and masked where the buffer has the
 * bytes after the key), a probe compares the inline tag first (hash and length at
 * once) and only on a match compares the bytes against the key arena, so a lookup touches the table and, once, the
 * arena (not a separate array of lengths: with 10k keys every array a lookup touches is a cache miss). (An {@code Object2IntHashMap} with a reusable probe key dereferences a stored key object
 * on every probe; profiling showed that as a third of the engine's time.) Nothing is allocated, not even for a new
 * key, except when the table or arena grows. Not thread-safe.
 */
public final class KeyTable
{
    /**
     * The longest key in bytes.
     */
    public static final int MAX_KEY_LENGTH = 32;

    private static final int EMPTY = 0;
    /** The low bits of a tag that hold the key's length (0..32). */
    private static final int LENGTH_MASK = 0x3F;
    private static final long HASH_MULTIPLIER = 0x9E3779B97F4A7C15L;

    private final ExpandableArrayBuffer keyBytes = new ExpandableArrayBuffer(1024 * MAX_KEY_LENGTH);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_KEY_LENGTH]);
    private int[] lengths = new int[1024];
    private int[] table = new int[2 * 2048];
    private int mask = 2048 - 1;
    private int size;

    /**
     * Intern a key, adding it if it was never seen.
     *
     * @param buffer holding the key.
     * @param offset where the key starts.
     * @param length the key's length in bytes, 0 to {@link #MAX_KEY_LENGTH}.
     * @return the key's id.
     * @throws IllegalArgumentException if the key is longer than {@link #MAX_KEY_LENGTH}.
     */
    public int intern(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        final boolean slack = hasWordSlack(buffer, offset, length);
        final int tag = (hash(buffer, offset, length, slack) & ~LENGTH_MASK) | length;
        final int[] table = this.table;
        final int mask = this.mask;
        int index = Hashing.hash(tag, mask);
        while (true)
        {
            final int entry = table[(index << 1) + 1];
            if (EMPTY == entry)
            {
                return add(buffer, offset, length, tag, index);
            }
            final int id = entry - 1;
            if (table[index << 1] == tag && equalsKey(id, buffer, offset, length, slack))
            {
                return id;
            }
            index = (index + 1) & mask;
        }
    }

    /**
     * Intern a key given as a string (allocates; for set-up and tests, not the hot path).
     *
     * @param key the key, at most {@link #MAX_KEY_LENGTH} bytes in US-ASCII.
     * @return the key's id.
     * @throws IllegalArgumentException if the key is longer than {@link #MAX_KEY_LENGTH} bytes.
     */
    public int intern(final String key)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        checkLength(bytes.length);
        scratch.putBytes(0, bytes);

        return intern(scratch, 0, bytes.length);
    }

    /**
     * The number of keys interned so far; ids are {@code 0 .. size() - 1}.
     *
     * @return the number of keys.
     */
    public int size()
    {
        return size;
    }

    /**
     * The buffer holding every key's bytes. The instance stays the same; its contents grow.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return keyBytes;
    }

    /**
     * Where a key's bytes start in {@link #buffer()}.
     *
     * @param keyId the key's id.
     * @return the offset.
     */
    public int offset(final int keyId)
    {
        return keyId * MAX_KEY_LENGTH;
    }

    /**
     * A key's length in bytes.
     *
     * @param keyId the key's id.
     * @return the length.
     */
    public int length(final int keyId)
    {
        return lengths[keyId];
    }

    /**
     * A key as a string (allocates).
     *
     * @param keyId the key's id.
     * @return the key decoded as US-ASCII.
     */
    public String keyString(final int keyId)
    {
        return keyBytes.getStringWithoutLengthAscii(offset(keyId), lengths[keyId]);
    }

    /**
     * The arena's slot for {@code id} against the key: whole words, then the last partial word, which in the arena
     * is the key's last bytes with zeros above them (a slot is written once, by {@link #add}, into zeroed memory).
     */
    private boolean equalsKey(
        final int id, final DirectBuffer buffer, final int offset, final int length, final boolean slack)
    {
        final ExpandableArrayBuffer keyBytes = this.keyBytes;
        final int keyOffset = id * MAX_KEY_LENGTH;
        final int words = length >>> 3;
        for (int i = 0; i < words; i++)
        {
            if (keyBytes.getLong(keyOffset + (i << 3), LITTLE_ENDIAN) !=
                buffer.getLong(offset + (i << 3), LITTLE_ENDIAN))
            {
                return false;
            }
        }
        final int tail = length & 7;

        return 0 == tail || keyBytes.getLong(keyOffset + (words << 3), LITTLE_ENDIAN) ==
            lastWord(buffer, offset + (words << 3), tail, slack);
    }

    private int add(final DirectBuffer buffer, final int offset, final int length, final int tag, final int index)
    {
        final int id = size;
        if (id == lengths.length)
        {
            lengths = Arrays.copyOf(lengths, id * 2);
        }
        lengths[id] = length;
        keyBytes.checkLimit((id + 1) * MAX_KEY_LENGTH); // the whole slot: equalsKey reads its last word whole
        keyBytes.putBytes(id * MAX_KEY_LENGTH, buffer, offset, length);
        table[index << 1] = tag;
        table[(index << 1) + 1] = id + 1;
        size = id + 1;
        if (2 * size > mask + 1)
        {
            growTable();
        }

        return id;
    }

    private void growTable()
    {
        final int[] oldTable = table;
        final int capacity = 2 * (mask + 1);
        final int newMask = capacity - 1;
        final int[] newTable = new int[2 * capacity];
        for (int i = 0; i < oldTable.length; i += 2)
        {
            if (EMPTY != oldTable[i + 1])
            {
                int index = Hashing.hash(oldTable[i], newMask);
                while (EMPTY != newTable[(index << 1) + 1])
                {
                    index = (index + 1) & newMask;
                }
                newTable[index << 1] = oldTable[i];
                newTable[(index << 1) + 1] = oldTable[i + 1];
            }
        }
        table = newTable;
        mask = newMask;
    }

    /**
     * The key's words (little-endian, the last one partial with zeros above: {@link #lastWord}) folded by
     * multiply-add, so a key costs {@code ceil(length / 8)} loads however its length ends.
     */
    private static int hash(final DirectBuffer buffer, final int offset, final int length, final boolean slack)
    {
        long hash = length;
        final int words = length >>> 3;
        for (int i = 0; i < words; i++)
        {
            hash = (hash + buffer.getLong(offset + (i << 3), LITTLE_ENDIAN)) * HASH_MULTIPLIER;
        }
        final int tail = length & 7;
        if (0 != tail)
        {
            hash = (hash + lastWord(buffer, offset + (words << 3), tail, slack)) * HASH_MULTIPLIER;
        }

        return (int)(hash ^ (hash >>> 32));
    }

    /**
     * Whether the key rounded up to whole words ends within the buffer, so its last word can be read whole. Checked
     * here, not left to Agrona's bounds checks, which the stages turn off.
     */
    private static boolean hasWordSlack(final DirectBuffer buffer, final int offset, final int length)
    {
        return (long)offset + ((length + 7) & ~7) <= buffer.capacity();
    }

    /**
     * The key's last {@code tailBytes} (1..7) bytes at {@code offset} as the low bytes of a little-endian word,
     * zeros above: one load and a mask with slack, else the bytes one by one (a key that ends its buffer).
     */
    private static long lastWord(final DirectBuffer buffer, final int offset, final int tailBytes, final boolean slack)
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

    private static void checkLength(final int length)
    {
        if (length < 0 || length > MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException(
                "key length is out of range: expected 0.." + MAX_KEY_LENGTH + ", found " + length);
        }
    }
}

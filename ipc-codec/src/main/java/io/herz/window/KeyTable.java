package io.herz.window;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Object2IntHashMap;

/**
 * Interns keys (byte strings of at most {@link #MAX_KEY_LENGTH} bytes, ASCII by convention) to dense int ids
 * 0, 1, 2, ... in order of first sight. Looking up a key seen before allocates nothing: the bytes are copied into
 * a reusable probe and looked up in an Agrona {@link Object2IntHashMap}; only a new key allocates its stored copy.
 * Each id's bytes stay readable at {@link #offset(int)} in {@link #buffer()}, a fixed slot of
 * {@link #MAX_KEY_LENGTH} bytes per id. Not thread-safe.
 */
public final class KeyTable
{
    /**
     * The longest key in bytes.
     */
    public static final int MAX_KEY_LENGTH = 32;

    private static final int MISSING_ID = -1;

    private final Object2IntHashMap<Key> idByKey = new Object2IntHashMap<>(MISSING_ID);
    private final Key probe = new Key(new byte[MAX_KEY_LENGTH]);
    private final ExpandableArrayBuffer keyBytes = new ExpandableArrayBuffer(64 * MAX_KEY_LENGTH);
    private int[] lengths = new int[64];
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
        final Key probe = this.probe;
        buffer.getBytes(offset, probe.bytes, 0, length);
        probe.set(length);

        final int id = idByKey.getValue(probe);
        return MISSING_ID != id ? id : add(probe);
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
        final Key probe = this.probe;
        System.arraycopy(bytes, 0, probe.bytes, 0, bytes.length);
        probe.set(bytes.length);

        final int id = idByKey.getValue(probe);
        return MISSING_ID != id ? id : add(probe);
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

    private int add(final Key probe)
    {
        final int id = size;
        final int length = probe.length;
        if (id == lengths.length)
        {
            lengths = Arrays.copyOf(lengths, id * 2);
        }
        lengths[id] = length;
        final MutableDirectBuffer keyBytes = this.keyBytes;
        keyBytes.putBytes(id * MAX_KEY_LENGTH, probe.bytes, 0, length);
        idByKey.put(new Key(Arrays.copyOf(probe.bytes, length)).set(length), id);
        size = id + 1;

        return id;
    }

    private static void checkLength(final int length)
    {
        if (length < 0 || length > MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException(
                "key length is out of range: expected 0.." + MAX_KEY_LENGTH + ", found " + length);
        }
    }

    /**
     * A key's bytes with a cached hash. The map stores exact-length copies; the table's probe is reused.
     */
    private static final class Key
    {
        private final byte[] bytes;
        private int length;
        private int hash;

        private Key(final byte[] bytes)
        {
            this.bytes = bytes;
        }

        private Key set(final int length)
        {
            final byte[] bytes = this.bytes;
            int hash = length;
            for (int i = 0; i < length; i++)
            {
                hash = 31 * hash + bytes[i];
            }
            this.length = length;
            this.hash = hash;

            return this;
        }

        public int hashCode()
        {
            return hash;
        }

        public boolean equals(final Object other)
        {
            if (!(other instanceof Key))
            {
                return false;
            }
            final Key that = (Key)other;

            return hash == that.hash && length == that.length &&
                Arrays.equals(bytes, 0, length, that.bytes, 0, length);
        }
    }
}

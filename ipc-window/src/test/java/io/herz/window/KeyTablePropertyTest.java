package io.herz.window;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link KeyTable} against a {@link HashMap} of the same keys: ids are dense in order of first sight, a key seen
 * again gets its id back from any offset of any buffer (whatever follows the key there, and where the buffer ends
 * with the key), and every id's bytes and length read back as interned. Keys
 * are 0-32 bytes over a small alphabet (so many share prefixes, lengths and 8- and 4-byte words, and differ only in
 * a tail byte), sequences long enough to grow the table several times.
 */
class KeyTablePropertyTest
{
    @Property(tries = 200)
    void shouldAssignSameIdsAsHashMapInOrderOfFirstSight(@ForAll("keySequences") final List<byte[]> keys)
    {
        final KeyTable table = new KeyTable();
        final Map<String, Integer> expected = new HashMap<>();
        final byte[] bytes = new byte[KeyTable.MAX_KEY_LENGTH + 16];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        int position = 0;
        for (final byte[] key : keys)
        {
            final String asString = new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
            final int offset = position % 16;
            buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
            buffer.putBytes(offset, key);
            // runs of 16 keys each way: inside a buffer with garbage after the key (its last word is read whole and
            // masked), then through a view that ends with the key (its last bytes are assembled one by one)
            final boolean endsWithKey = (position++ / 16) % 2 == 1;
            if (endsWithKey)
            {
                view.wrap(bytes, 0, offset + key.length);
            }
            final int id = table.intern(endsWithKey ? view : buffer, offset, key.length);
            final Integer known = expected.putIfAbsent(asString, expected.size());

            assertEquals(null == known ? expected.size() - 1 : known.intValue(), id, asString);
            assertEquals(expected.size(), table.size());
        }
        for (final Map.Entry<String, Integer> entry : expected.entrySet())
        {
            final int id = entry.getValue();
            final byte[] stored = new byte[table.length(id)];
            table.buffer().getBytes(table.offset(id), stored);

            assertEquals(entry.getKey(), new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Provide
    Arbitrary<List<byte[]>> keySequences()
    {
        final Arbitrary<byte[]> key = Arbitraries.integers().between(0, KeyTable.MAX_KEY_LENGTH).flatMap(length ->
            Arbitraries.bytes().between((byte)'a', (byte)'c').array(byte[].class).ofSize(length));
        final Arbitrary<byte[]> sensor = Arbitraries.integers().between(0, 9_999)
            .map(n -> String.format("sensor-%05d", n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(key, sensor).list().ofMinSize(0).ofMaxSize(5_000);
    }
}

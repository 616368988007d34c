package io.herz.window;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class KeyTableTest
{
    private final KeyTable keys = new KeyTable();

    @Test
    void shouldReturnSameIdWhenKeySeenAgainFromBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.putStringWithoutLengthAscii(3, "sensor-7");

        final int first = keys.intern(buffer, 3, 8);
        final int second = keys.intern("sensor-7");
        final int other = keys.intern("sensor-8");

        assertEquals(0, first);
        assertEquals(first, second);
        assertNotEquals(first, other);
        assertEquals(2, keys.size());
        assertEquals("sensor-7", keys.keyString(first));
        assertEquals(8, keys.length(first));
    }

    @Test
    void shouldKeepKeysApartWhenOnlyLengthDiffers()
    {
        final int shorter = keys.intern("ab");
        final int longer = keys.intern("ab\0");
        final int empty = keys.intern("");

        assertEquals(3, keys.size());
        assertNotEquals(shorter, longer);
        assertEquals("", keys.keyString(empty));
    }

    @Test
    void shouldKeepEveryKeyReadableWhenTableGrows()
    {
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(i, keys.intern("k" + i));
        }

        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(i, keys.intern("k" + i));
            assertEquals("k" + i, keys.buffer().getStringWithoutLengthAscii(keys.offset(i), keys.length(i)));
        }
    }

    @Test
    void shouldRejectWithMessageWhenKeyIsTooLong()
    {
        final byte[] bytes = "0123456789012345678901234567890123".getBytes(StandardCharsets.US_ASCII);

        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> keys.intern(new UnsafeBuffer(bytes), 0, bytes.length));

        assertEquals("key length is out of range: expected 0..32, found 34", ex.getMessage());
    }
}

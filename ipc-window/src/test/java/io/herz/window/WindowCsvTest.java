package io.herz.window;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class WindowCsvTest
{
    @Test
    void shouldWriteEpochMillisecondsExactlyWhenNanosecondsAreNotWholeMilliseconds()
    {
        assertEquals("1700000000123", WindowCsv.appendEpochMs(new StringBuilder(), 1_700_000_000_123_000_000L)
            .toString());
        assertEquals("1700000000123.4", WindowCsv.appendEpochMs(new StringBuilder(), 1_700_000_000_123_400_000L)
            .toString());
        assertEquals("0.000001", WindowCsv.appendEpochMs(new StringBuilder(), 1).toString());
        assertEquals("-1.5", WindowCsv.appendEpochMs(new StringBuilder(), -1_500_000).toString());
        assertEquals("-2", WindowCsv.appendEpochMs(new StringBuilder(), -2_000_000).toString());
    }

    @Test
    void shouldWriteFullPrecisionAndQuoteKeyWhenKeyHoldsComma()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        final int keyLength = key.putStringWithoutLengthAscii(0, "a,\"b\"");

        final String row = WindowCsv.appendRow(new StringBuilder(), 0, 1_000_000_000L, key, 0, keyLength, 3,
            0.1 + 0.2, -1.0E-7, 1.0E20, (0.1 + 0.2) / 3).toString();

        assertEquals("0,1000,\"a,\"\"b\"\"\",3,0.30000000000000004,-1.0E-7,1.0E20,0.10000000000000002", row);
    }

    @Test
    void shouldNotQuoteKeyWhenKeyIsPlain()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        final int keyLength = key.putStringWithoutLengthAscii(0, "sensor-1");

        final String row = WindowCsv.appendRow(new StringBuilder(), 0, 5, key, 0, keyLength, 1, 2, 2, 2, 2)
            .toString();

        assertEquals("0,0.000005,sensor-1,1,2.0,2.0,2.0,2.0", row);
    }
}

package io.herz.ipc.ring;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of the multi-process and wrap-around tests have teeth: the checksum of {@link TestRecords} changes
 * when any single payload byte changes, and lengths vary as intended.
 */
@Timeout(30)
class TestRecordsTest
{
    @Test
    void shouldDetectEverySingleByteChangeWhenChecksummed()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        for (final int length : new int[]{ 16, 17, 23, 24, 31, 129, 500 })
        {
            TestRecords.write(buffer, 8, 2, 12345, length);
            final int checksum = buffer.getInt(8 + TestRecords.CHECKSUM_OFFSET);
            assertEquals(checksum, TestRecords.checksum(buffer, 8, length));

            for (int i = 0; i < length; i++)
            {
                if (i >= TestRecords.CHECKSUM_OFFSET && i < TestRecords.SEQUENCE_OFFSET)
                {
                    continue;
                }
                final byte original = buffer.getByte(8 + i);
                buffer.putByte(8 + i, (byte)(original ^ 0x10));
                assertNotEquals(checksum, TestRecords.checksum(buffer, 8, length), "byte " + i + " of " + length);
                buffer.putByte(8 + i, original);
            }
        }
    }

    @Test
    void shouldVaryLengthsIncludingTheMaximumAndNonMultiplesOfEight()
    {
        int notMultipleOfEight = 0;
        int maximum = 0;
        for (long sequence = 0; sequence < 100_000; sequence++)
        {
            final int length = TestRecords.payloadLength(1, sequence, 1000, 113);
            assertTrue(length >= TestRecords.MIN_PAYLOAD_LENGTH && length <= 1000, "length " + length);
            notMultipleOfEight += length % 8 != 0 ? 1 : 0;
            maximum += length == 1000 ? 1 : 0;
        }
        assertTrue(notMultipleOfEight > 80_000, "not a multiple of 8: " + notMultipleOfEight);
        assertEquals(2, maximum, "one maximum-length record every " + TestRecords.MAX_LENGTH_PERIOD);
    }
}

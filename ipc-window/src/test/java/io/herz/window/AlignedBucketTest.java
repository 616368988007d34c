package io.herz.window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class AlignedBucketTest
{
    private final AlignedBucket bucket = new AlignedBucket();

    @Test
    void shouldFindSlotByKeyIdWhenIdsAreSparseAndLarge()
    {
        bucket.reset(0, 10);
        final int[] keyIds = { 5, 0, 100_000, 17, 1_000_000, 16 };
        for (int i = 0; i < keyIds.length; i++)
        {
            assertEquals(AlignedBucket.MISSING_SLOT, bucket.slotOf(keyIds[i]));
            assertEquals(i, bucket.create(keyIds[i], i));
        }

        for (int i = 0; i < keyIds.length; i++)
        {
            assertEquals(i, bucket.slotOf(keyIds[i]));
            assertEquals(keyIds[i], bucket.keyIds[i]);
        }
        assertEquals(AlignedBucket.MISSING_SLOT, bucket.slotOf(1));
        assertEquals(AlignedBucket.MISSING_SLOT, bucket.slotOf(99_999));
        assertEquals(AlignedBucket.MISSING_SLOT, bucket.slotOf(2_000_000));
    }

    @Test
    void shouldForgetEveryKeyWhenReset()
    {
        bucket.reset(0, 10);
        for (int keyId = 0; keyId < 1000; keyId += 3)
        {
            bucket.create(keyId, keyId);
        }
        bucket.accumulate(bucket.slotOf(3), 4.0);

        bucket.reset(10, 20);

        assertEquals(0, bucket.slotCount);
        for (int keyId = 0; keyId < 1000; keyId++)
        {
            assertEquals(AlignedBucket.MISSING_SLOT, bucket.slotOf(keyId), "key id " + keyId);
        }
        assertEquals(0, bucket.create(999, 2.5));
        assertEquals(0, bucket.slotOf(999));
        assertEquals(1, bucket.counts[0]);
        assertEquals(2.5, bucket.stats[AlignedBucket.SUM]);
    }
}

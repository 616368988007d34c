package io.herz.window;

import java.util.Arrays;

/**
 * All keys' state for one tumbling or sliding window {@code [startNs, endNs)}, indexed by slot, slots in order of
 * the key's first event, found by key id. A slot's count is in {@code counts[slot]} and its sum, min and max are
 * interleaved in {@code stats[3 * slot ..]}, so an update touches two cache lines, not four.
 * <p>
 * Key ids are the {@link KeyTable}'s dense ids 0, 1, 2, ..., so the slot of a key is found by indexing an int array
 * by key id ({@code slot + 1}, 0 for none), not by hashing: with 10k keys an {@code Int2IntHashMap} per bucket was
 * a fifth of the aggregator's time on sparse data (a hash, a probe and a cache miss per event). The array grows by
 * doubling to cover the largest key id the bucket has seen, so a bucket costs 4 to 8 bytes per key id below that
 * (4-8 MB per open window with a million keys). Pooled: {@link #reset} keeps the arrays and clears only the entries
 * of the keys it held.
 */
final class AlignedBucket
{
    static final int MISSING_SLOT = -1;

    /** {@code slot + 1} by key id, 0 where the key has no slot in this window. */
    private int[] slotPlusOneByKeyId = new int[16];
    long startNs;
    long endNs;
    boolean fired;
    int slotCount;
    static final int STATS_PER_SLOT = 3;
    static final int SUM = 0;
    static final int MIN = 1;
    static final int MAX = 2;

    int[] keyIds = new int[16];
    long[] counts = new long[16];
    double[] stats = new double[16 * STATS_PER_SLOT];

    void reset(final long startNs, final long endNs)
    {
        this.startNs = startNs;
        this.endNs = endNs;
        fired = false;
        final int slotCount = this.slotCount;
        if (slotCount > 0)
        {
            final int[] slotPlusOneByKeyId = this.slotPlusOneByKeyId;
            final int[] keyIds = this.keyIds;
            for (int slot = 0; slot < slotCount; slot++)
            {
                slotPlusOneByKeyId[keyIds[slot]] = 0;
            }
            this.slotCount = 0;
        }
    }

    int slotOf(final int keyId)
    {
        final int[] slotPlusOneByKeyId = this.slotPlusOneByKeyId;
        return keyId < slotPlusOneByKeyId.length ? slotPlusOneByKeyId[keyId] - 1 : MISSING_SLOT;
    }

    int create(final int keyId, final double value)
    {
        final int slot = slotCount;
        if (slot == keyIds.length)
        {
            grow(slot * 2);
        }
        keyIds[slot] = keyId;
        counts[slot] = 1;
        final double[] stats = this.stats;
        final int base = slot * STATS_PER_SLOT;
        stats[base + SUM] = value;
        stats[base + MIN] = value;
        stats[base + MAX] = value;
        if (keyId >= slotPlusOneByKeyId.length)
        {
            final int capacity = Math.max(keyId + 1, 2 * slotPlusOneByKeyId.length);
            slotPlusOneByKeyId = Arrays.copyOf(slotPlusOneByKeyId, capacity);
        }
        slotPlusOneByKeyId[keyId] = slot + 1;
        slotCount = slot + 1;

        return slot;
    }

    void accumulate(final int slot, final double value)
    {
        counts[slot]++;
        final double[] stats = this.stats;
        final int base = slot * STATS_PER_SLOT;
        stats[base + SUM] += value;
        if (value < stats[base + MIN])
        {
            stats[base + MIN] = value;
        }
        if (value > stats[base + MAX])
        {
            stats[base + MAX] = value;
        }
    }

    private void grow(final int capacity)
    {
        keyIds = Arrays.copyOf(keyIds, capacity);
        counts = Arrays.copyOf(counts, capacity);
        stats = Arrays.copyOf(stats, capacity * STATS_PER_SLOT);
    }
}

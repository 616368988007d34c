package io.herz.window;

import java.util.Arrays;

import org.agrona.collections.Int2IntHashMap;

/**
 * All keys' state for one tumbling or sliding window {@code [startNs, endNs)}, indexed by slot, slots in order of
 * the key's first event, found by key id. A slot's count is in {@code counts[slot]} and its sum, min and max are
 * interleaved in {@code stats[3 * slot ..]}, so an update touches two cache lines, not four. Pooled: {@link #reset}
 * keeps the arrays and the map's capacity.
 */
final class AlignedBucket
{
    static final int MISSING_SLOT = -1;

    private final Int2IntHashMap slotByKeyId = new Int2IntHashMap(MISSING_SLOT);
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
        if (slotCount > 0)
        {
            slotByKeyId.clear();
            slotCount = 0;
        }
    }

    int slotOf(final int keyId)
    {
        return slotByKeyId.get(keyId);
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
        slotByKeyId.put(keyId, slot);
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

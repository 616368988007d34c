package io.herz.window;

import java.util.Arrays;

import org.agrona.collections.Int2IntHashMap;

/**
 * All keys' state for one tumbling or sliding window {@code [startNs, endNs)}: struct-of-arrays indexed by slot,
 * slots in order of the key's first event, found by key id. Pooled: {@link #reset} keeps the arrays and the map's
 * capacity.
 */
final class AlignedBucket
{
    static final int MISSING_SLOT = -1;

    private final Int2IntHashMap slotByKeyId = new Int2IntHashMap(MISSING_SLOT);
    long startNs;
    long endNs;
    boolean fired;
    int slotCount;
    int[] keyIds = new int[16];
    long[] counts = new long[16];
    double[] sums = new double[16];
    double[] mins = new double[16];
    double[] maxs = new double[16];

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
        sums[slot] = value;
        mins[slot] = value;
        maxs[slot] = value;
        slotByKeyId.put(keyId, slot);
        slotCount = slot + 1;

        return slot;
    }

    void accumulate(final int slot, final double value)
    {
        counts[slot]++;
        sums[slot] += value;
        if (value < mins[slot])
        {
            mins[slot] = value;
        }
        if (value > maxs[slot])
        {
            maxs[slot] = value;
        }
    }

    private void grow(final int capacity)
    {
        keyIds = Arrays.copyOf(keyIds, capacity);
        counts = Arrays.copyOf(counts, capacity);
        sums = Arrays.copyOf(sums, capacity);
        mins = Arrays.copyOf(mins, capacity);
        maxs = Arrays.copyOf(maxs, capacity);
    }
}

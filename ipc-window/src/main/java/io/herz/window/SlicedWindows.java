package io.herz.window;

import java.util.Arrays;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import static io.herz.window.WatermarkTracker.saturatedAdd;

/**
 * Sliding windows by stream slicing: state per key per <i>pane</i> {@code [p * g, (p + 1) * g)} with
 * {@code g = gcd(size, slide)}, so an event costs one update however many windows it belongs to; a window's result
 * is assembled from the panes it covers ({@code size / g} of them) when it is emitted. Window and pane boundaries
 * are multiples of {@code g}, so a window holds a pane whole or not at all, and the windows holding an event are
 * exactly the windows holding its pane.
 * <p>
 * The results are those of per-window state (Flink's): a window exists once an event that is not too late for it
 * arrived; it fires when the watermark reaches its end, listing every key with an event in any of its panes; a late
 * event that is within the allowed lateness of a fired window re-emits the key's assembled result at once (an
 * update if the key had an event in that window before); an event too late for a window is dropped from it (and
 * counted), and an event too late for all of its windows touches no pane. Count, min and max are those of
 * per-window state exactly; the sum (and so the mean) adds pane sums in time order, which equals per-window
 * addition exactly whenever the values' partial sums are exact (integers, or decimals at a fixed scale well
 * inside 2^53) and may otherwise differ in the last bits.
 * <p>
 * Panes are {@link AlignedBucket}s, pooled, found through a small direct-mapped cache before the hash map; a pane is
 * released when the last window holding it is dropped. Assembly merges the panes' slots into scratch arrays indexed
 * by the dense key id, in pane order (keys in order of their first event in the window's earliest pane holding
 * them).
 */
final class SlicedWindows implements WindowStore
{
    private static final int PANE_CACHE_SIZE = 64;
    private final long sizeNs;
    private final long slideNs;
    private final long paneNs;
    private final long allowedLatenessNs;
    private final KeyTable keys;
    private final WindowOutput output;
    private final Long2ObjectHashMap<AlignedBucket> paneByIndex = new Long2ObjectHashMap<>();
    private final AlignedBucket[] paneCache = new AlignedBucket[PANE_CACHE_SIZE];
    private final long[] paneCacheIndex = new long[PANE_CACHE_SIZE];
    private final LongHashSet windowStarts = new LongHashSet();
    private final LongMinHeap fireHeap = new LongMinHeap(64);
    private final LongMinHeap windowDropHeap = new LongMinHeap(64);
    private final LongMinHeap paneDropHeap = new LongMinHeap(64);
    private AlignedBucket[] pool = new AlignedBucket[16];
    private int poolSize;
    private int openStateCount;

    // assembly scratch, indexed by key id; a key is in the current assembly when its stamp is the current one
    private int[] stamps = new int[1024];
    private long[] counts = new long[1024];
    private double[] sums = new double[1024];
    private double[] mins = new double[1024];
    private double[] maxs = new double[1024];
    private int[] order = new int[1024];
    private int orderSize;
    private int stamp;

    SlicedWindows(final WindowSpec spec, final long allowedLatenessNs, final KeyTable keys, final WindowOutput output)
    {
        this.sizeNs = spec.sizeNs();
        this.slideNs = spec.slideNs();
        this.paneNs = gcd(sizeNs, slideNs);
        this.allowedLatenessNs = allowedLatenessNs;
        this.keys = keys;
        this.output = output;
        Arrays.fill(paneCacheIndex, Long.MIN_VALUE);
    }

    static long gcd(final long a, final long b)
    {
        long x = a;
        long y = b;
        while (y != 0)
        {
            final long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    /**
     * {@inheritDoc}
     */
    public int onEvent(final int keyId, final long eventTimeNs, final double value, final long watermarkNs)
    {
        final long sizeNs = this.sizeNs;
        final long slideNs = this.slideNs;
        final long lastStartNs = eventTimeNs - Math.floorMod(eventTimeNs, slideNs);
        if (eventTimeNs - lastStartNs >= sizeNs)
        {
            return 0; // in a gap between windows (slide > size)
        }
        // windows holding the event: starts lastStartNs, lastStartNs - slide, ... > eventTimeNs - size
        final long firstStartNs = lastStartNs - (sizeNs - 1 - (eventTimeNs - lastStartNs)) / slideNs * slideNs;
        final long firstEndNs = firstStartNs + sizeNs;
        if (watermarkNs < firstEndNs)
        {
            // the steady state: no window of the event has fired, none is late
            final AlignedBucket pane = paneFor(eventTimeNs, firstStartNs, lastStartNs, watermarkNs);
            accumulate(pane, keyId, value);
            return 0;
        }
        return onLateEvent(keyId, eventTimeNs, value, watermarkNs, firstStartNs, lastStartNs);
    }

    private int onLateEvent(
        final int keyId,
        final long eventTimeNs,
        final double value,
        final long watermarkNs,
        final long firstStartNs,
        final long lastStartNs)
    {
        final long sizeNs = this.sizeNs;
        final long slideNs = this.slideNs;
        final long allowedLatenessNs = this.allowedLatenessNs;
        int droppedCount = 0;
        long liveStartNs = firstStartNs;
        while (liveStartNs <= lastStartNs && watermarkNs >= saturatedAdd(liveStartNs + sizeNs, allowedLatenessNs))
        {
            droppedCount++;
            liveStartNs += slideNs;
        }
        if (liveStartNs > lastStartNs)
        {
            return droppedCount; // too late for every window: no pane changes
        }

        final AlignedBucket pane = paneFor(eventTimeNs, liveStartNs, lastStartNs, watermarkNs);
        accumulate(pane, keyId, value);
        for (long startNs = liveStartNs; startNs <= lastStartNs && watermarkNs >= startNs + sizeNs;
            startNs += slideNs)
        {
            emitKey(startNs, keyId); // a fired window within its lateness: the key's result again
        }
        return droppedCount;
    }

    private void accumulate(final AlignedBucket pane, final int keyId, final double value)
    {
        final int slot = pane.slotOf(keyId);
        if (AlignedBucket.MISSING_SLOT != slot)
        {
            pane.accumulate(slot, value);
        }
        else
        {
            pane.create(keyId, value);
            openStateCount++;
        }
    }

    /**
     * The pane of an event, created if new; a new pane registers the windows holding it from
     * {@code liveStartNs} (those not too late) to {@code lastStartNs}.
     */
    private AlignedBucket paneFor(
        final long eventTimeNs, final long liveStartNs, final long lastStartNs, final long watermarkNs)
    {
        final long paneIndex = Math.floorDiv(eventTimeNs, paneNs);
        final int cacheIndex = (int)paneIndex & (PANE_CACHE_SIZE - 1);
        if (paneCacheIndex[cacheIndex] == paneIndex)
        {
            return paneCache[cacheIndex];
        }

        AlignedBucket pane = paneByIndex.get(paneIndex);
        if (null == pane)
        {
            pane = acquire();
            final long paneStartNs = paneIndex * paneNs;
            pane.reset(paneStartNs, paneStartNs + paneNs);
            paneByIndex.put(paneIndex, pane);
            paneDropHeap.push(lastStartNs + sizeNs, paneIndex);
            for (long startNs = liveStartNs; startNs <= lastStartNs; startNs += slideNs)
            {
                if (windowStarts.add(startNs))
                {
                    final long endNs = startNs + sizeNs;
                    windowDropHeap.push(endNs, startNs);
                    if (watermarkNs < endNs)
                    {
                        fireHeap.push(endNs, startNs);
                    }
                }
            }
        }
        paneCacheIndex[cacheIndex] = paneIndex;
        paneCache[cacheIndex] = pane;

        return pane;
    }

    /**
     * {@inheritDoc}
     */
    public int advanceTo(final long watermarkNs)
    {
        int emittedCount = 0;
        final LongMinHeap fireHeap = this.fireHeap;
        while (!fireHeap.isEmpty() && fireHeap.peekDeadline() <= watermarkNs)
        {
            final long startNs = fireHeap.peekPayload();
            fireHeap.pop();
            emittedCount += emitWindow(startNs);
        }

        final long allowedLatenessNs = this.allowedLatenessNs;
        final LongMinHeap windowDropHeap = this.windowDropHeap;
        while (!windowDropHeap.isEmpty() &&
            saturatedAdd(windowDropHeap.peekDeadline(), allowedLatenessNs) <= watermarkNs)
        {
            windowStarts.remove(windowDropHeap.peekPayload());
            windowDropHeap.pop();
        }
        final LongMinHeap paneDropHeap = this.paneDropHeap;
        while (!paneDropHeap.isEmpty() && saturatedAdd(paneDropHeap.peekDeadline(), allowedLatenessNs) <= watermarkNs)
        {
            final long paneIndex = paneDropHeap.peekPayload();
            paneDropHeap.pop();
            release(paneIndex, paneByIndex.remove(paneIndex));
        }

        return emittedCount;
    }

    /**
     * {@inheritDoc}
     */
    public int openWindowCount()
    {
        return openStateCount;
    }

    /**
     * Fire a window: assemble every key of its panes and emit each.
     *
     * @return the number of results.
     */
    private int emitWindow(final long startNs)
    {
        beginAssembly();
        final long endNs = startNs + sizeNs;
        final long firstPane = Math.floorDiv(startNs, paneNs);
        final long panes = sizeNs / paneNs;
        for (long p = firstPane; p < firstPane + panes; p++)
        {
            final AlignedBucket pane = paneByIndex.get(p);
            if (null != pane)
            {
                final int[] keyIds = pane.keyIds;
                final long[] paneCounts = pane.counts;
                final double[] stats = pane.stats;
                for (int slot = 0, count = pane.slotCount; slot < count; slot++)
                {
                    final int base = slot * AlignedBucket.STATS_PER_SLOT;
                    merge(keyIds[slot], paneCounts[slot], stats[base + AlignedBucket.SUM],
                        stats[base + AlignedBucket.MIN], stats[base + AlignedBucket.MAX]);
                }
            }
        }
        final int[] order = this.order;
        final int size = orderSize;
        for (int i = 0; i < size; i++)
        {
            emit(startNs, endNs, order[i], false);
        }
        return size;
    }

    /**
     * Re-emit one key's result for a fired window after a late event added to it.
     */
    private void emitKey(final long startNs, final int keyId)
    {
        beginAssembly();
        final long firstPane = Math.floorDiv(startNs, paneNs);
        final long panes = sizeNs / paneNs;
        for (long p = firstPane; p < firstPane + panes; p++)
        {
            final AlignedBucket pane = paneByIndex.get(p);
            if (null != pane)
            {
                final int slot = pane.slotOf(keyId);
                if (AlignedBucket.MISSING_SLOT != slot)
                {
                    final double[] stats = pane.stats;
                    final int base = slot * AlignedBucket.STATS_PER_SLOT;
                    merge(keyId, pane.counts[slot], stats[base + AlignedBucket.SUM], stats[base + AlignedBucket.MIN],
                        stats[base + AlignedBucket.MAX]);
                }
            }
        }
        // the late event is in the count: more than one means the key had a result in this window before
        emit(startNs, startNs + sizeNs, keyId, counts[keyId] > 1);
    }

    private void beginAssembly()
    {
        orderSize = 0;
        if (++stamp == 0)
        {
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
        final int keyCount = keys.size();
        if (keyCount > stamps.length)
        {
            final int capacity = Math.max(keyCount, stamps.length * 2);
            stamps = Arrays.copyOf(stamps, capacity);
            counts = Arrays.copyOf(counts, capacity);
            sums = Arrays.copyOf(sums, capacity);
            mins = Arrays.copyOf(mins, capacity);
            maxs = Arrays.copyOf(maxs, capacity);
        }
    }

    private void merge(final int keyId, final long count, final double sum, final double min, final double max)
    {
        if (stamps[keyId] != stamp)
        {
            stamps[keyId] = stamp;
            counts[keyId] = count;
            sums[keyId] = sum;
            mins[keyId] = min;
            maxs[keyId] = max;
            if (orderSize == order.length)
            {
                order = Arrays.copyOf(order, orderSize * 2);
            }
            order[orderSize++] = keyId;
        }
        else
        {
            counts[keyId] += count;
            sums[keyId] += sum;
            if (min < mins[keyId])
            {
                mins[keyId] = min;
            }
            if (max > maxs[keyId])
            {
                maxs[keyId] = max;
            }
        }
    }

    private void emit(final long startNs, final long endNs, final int keyId, final boolean isUpdate)
    {
        final long count = counts[keyId];
        final double sum = sums[keyId];
        final KeyTable keys = this.keys;
        output.onWindow(
            startNs,
            endNs,
            keyId,
            keys.buffer(),
            keys.offset(keyId),
            keys.length(keyId),
            count,
            sum,
            mins[keyId],
            maxs[keyId],
            sum / count,
            isUpdate);
    }

    private AlignedBucket acquire()
    {
        if (poolSize > 0)
        {
            final AlignedBucket pane = pool[--poolSize];
            pool[poolSize] = null;
            return pane;
        }

        return new AlignedBucket();
    }

    private void release(final long paneIndex, final AlignedBucket pane)
    {
        final int cacheIndex = (int)paneIndex & (PANE_CACHE_SIZE - 1);
        if (paneCacheIndex[cacheIndex] == paneIndex)
        {
            paneCacheIndex[cacheIndex] = Long.MIN_VALUE;
            paneCache[cacheIndex] = null;
        }
        openStateCount -= pane.slotCount;
        pane.reset(Long.MIN_VALUE, Long.MIN_VALUE);
        if (poolSize == pool.length)
        {
            pool = Arrays.copyOf(pool, poolSize * 2);
        }
        pool[poolSize++] = pane;
    }
}

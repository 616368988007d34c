package io.herz.window;

import java.util.Arrays;

import org.agrona.collections.Long2ObjectHashMap;

import static io.herz.window.WatermarkTracker.saturatedAdd;

/**
 * Tumbling and sliding windows: one {@link AlignedBucket} per window start that has events, found by start in a
 * {@link Long2ObjectHashMap}. Two {@link LongMinHeap}s of window ends order the work: firing (end &lt;= watermark)
 * and dropping the state (end + allowed lateness &lt;= watermark). Buckets are pooled, and a small direct-mapped
 * cache in front of the map serves the sliding case where one event updates several buckets in turn.
 */
final class AlignedWindows implements WindowStore
{
    /**
     * Direct-mapped cache of open buckets by window number ({@code start / slide}): the windows an event updates
     * are consecutive numbers, so they never collide in the cache, and most lookups skip the hash map.
     */
    private static final int BUCKET_CACHE_SIZE = 64;
    private final long sizeNs;
    private final long slideNs;
    private final long allowedLatenessNs;
    private final KeyTable keys;
    private final WindowOutput output;
    private final Long2ObjectHashMap<AlignedBucket> bucketByStartNs = new Long2ObjectHashMap<>();
    private final LongMinHeap fireHeap = new LongMinHeap(64);
    private final LongMinHeap dropHeap = new LongMinHeap(64);
    private final AlignedBucket[] bucketCache = new AlignedBucket[BUCKET_CACHE_SIZE];
    private AlignedBucket[] pool = new AlignedBucket[16];
    private int poolSize;
    private int openWindowCount;

    AlignedWindows(final WindowSpec spec, final long allowedLatenessNs, final KeyTable keys, final WindowOutput output)
    {
        this.sizeNs = spec.sizeNs();
        this.slideNs = spec.slideNs();
        this.allowedLatenessNs = allowedLatenessNs;
        this.keys = keys;
        this.output = output;
    }

    /**
     * {@inheritDoc}
     */
    public int onEvent(final int keyId, final long eventTimeNs, final double value, final long watermarkNs)
    {
        final long sizeNs = this.sizeNs;
        final long slideNs = this.slideNs;
        final long allowedLatenessNs = this.allowedLatenessNs;
        final long firstStartNs = eventTimeNs - sizeNs;
        int droppedCount = 0;

        for (long startNs = eventTimeNs - Math.floorMod(eventTimeNs, slideNs); startNs > firstStartNs;
            startNs -= slideNs)
        {
            final long endNs = startNs + sizeNs;
            if (watermarkNs >= saturatedAdd(endNs, allowedLatenessNs))
            {
                droppedCount++;
                continue;
            }

            final AlignedBucket bucket = bucketFor(startNs, endNs, watermarkNs);
            int slot = bucket.slotOf(keyId);
            final boolean isUpdate = AlignedBucket.MISSING_SLOT != slot;
            if (isUpdate)
            {
                bucket.accumulate(slot, value);
            }
            else
            {
                slot = bucket.create(keyId, value);
                openWindowCount++;
            }

            if (bucket.fired)
            {
                emit(bucket, slot, isUpdate);
            }
        }

        return droppedCount;
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
            final AlignedBucket bucket = bucketByStartNs.get(fireHeap.peekPayload());
            fireHeap.pop();
            bucket.fired = true;
            for (int slot = 0, count = bucket.slotCount; slot < count; slot++)
            {
                emit(bucket, slot, false);
            }
            emittedCount += bucket.slotCount;
        }

        final LongMinHeap dropHeap = this.dropHeap;
        final long allowedLatenessNs = this.allowedLatenessNs;
        while (!dropHeap.isEmpty() && saturatedAdd(dropHeap.peekDeadline(), allowedLatenessNs) <= watermarkNs)
        {
            final long startNs = dropHeap.peekPayload();
            dropHeap.pop();
            release(bucketByStartNs.remove(startNs));
        }

        return emittedCount;
    }

    /**
     * {@inheritDoc}
     */
    public int openWindowCount()
    {
        return openWindowCount;
    }

    private AlignedBucket bucketFor(final long startNs, final long endNs, final long watermarkNs)
    {
        final int cacheIndex = cacheIndex(startNs);
        final AlignedBucket cached = bucketCache[cacheIndex];
        if (null != cached && cached.startNs == startNs)
        {
            return cached;
        }

        AlignedBucket bucket = bucketByStartNs.get(startNs);
        if (null == bucket)
        {
            bucket = acquire();
            bucket.reset(startNs, endNs);
            bucketByStartNs.put(startNs, bucket);
            dropHeap.push(endNs, startNs);
            if (watermarkNs >= endNs)
            {
                bucket.fired = true;
            }
            else
            {
                fireHeap.push(endNs, startNs);
            }
        }
        bucketCache[cacheIndex] = bucket;

        return bucket;
    }

    private int cacheIndex(final long startNs)
    {
        return (int)Math.floorDiv(startNs, slideNs) & (BUCKET_CACHE_SIZE - 1);
    }

    private void emit(final AlignedBucket bucket, final int slot, final boolean isUpdate)
    {
        final int keyId = bucket.keyIds[slot];
        final long count = bucket.counts[slot];
        final double[] stats = bucket.stats;
        final int base = slot * AlignedBucket.STATS_PER_SLOT;
        final double sum = stats[base + AlignedBucket.SUM];
        final KeyTable keys = this.keys;
        output.onWindow(
            bucket.startNs,
            bucket.endNs,
            keyId,
            keys.buffer(),
            keys.offset(keyId),
            keys.length(keyId),
            count,
            sum,
            stats[base + AlignedBucket.MIN],
            stats[base + AlignedBucket.MAX],
            sum / count,
            isUpdate);
    }

    private AlignedBucket acquire()
    {
        if (poolSize > 0)
        {
            final AlignedBucket bucket = pool[--poolSize];
            pool[poolSize] = null;
            return bucket;
        }

        return new AlignedBucket();
    }

    private void release(final AlignedBucket bucket)
    {
        final int cacheIndex = cacheIndex(bucket.startNs);
        if (bucketCache[cacheIndex] == bucket)
        {
            bucketCache[cacheIndex] = null;
        }
        openWindowCount -= bucket.slotCount;
        bucket.reset(Long.MIN_VALUE, Long.MIN_VALUE);
        if (poolSize == pool.length)
        {
            pool = Arrays.copyOf(pool, poolSize * 2);
        }
        pool[poolSize++] = bucket;
    }
}

package io.herz.window;

import java.util.Arrays;

import org.agrona.collections.Int2IntHashMap;

/**
 * The stage's event-time watermark. Each producer's watermark is the highest event time it sent minus the allowed
 * out-of-orderness ({@link Long#MIN_VALUE} before its first event). The stage's watermark is the minimum over
 * producers that hold it back: not finished (no end of stream yet) and not idle (their last message arrived at most
 * the idle timeout ago, in processing time). With an expected producer count configured, producers not seen yet
 * hold it at {@link Long#MIN_VALUE} (as if they had announced themselves at the first call) until they appear or the
 * idle timeout passes. It never moves backwards, and stays put while no producer holds it back.
 * Producers are registered on first sight, which allocates only when the arrays grow. Not thread-safe.
 */
final class WatermarkTracker
{
    private static final int MISSING_INDEX = -1;

    private final long outOfOrdernessNs;
    private final long idleTimeoutNs;
    private final int expectedProducerCount;
    private final Int2IntHashMap indexByProducerId = new Int2IntHashMap(MISSING_INDEX);
    private long[] maxEventTimeNs = new long[8];
    private long[] lastActiveNs = new long[8];
    private boolean[] finished = new boolean[8];
    private int producerCount;
    private int finishedCount;
    private long watermarkNs = Long.MIN_VALUE;
    private long firstCallNs;
    private boolean started;
    private int lastProducerId;
    private int lastIndex = MISSING_INDEX;

    /**
     * @param outOfOrdernessNs      how far behind its highest event time a producer's events may arrive, &gt;= 0.
     * @param idleTimeoutNs         processing time after which a silent producer stops holding the watermark back.
     * @param expectedProducerCount the number of ends of stream that end the stage, or 0 for "every producer seen".
     */
    WatermarkTracker(final long outOfOrdernessNs, final long idleTimeoutNs, final int expectedProducerCount)
    {
        this.outOfOrdernessNs = outOfOrdernessNs;
        this.idleTimeoutNs = idleTimeoutNs;
        this.expectedProducerCount = expectedProducerCount;
    }

    long watermarkNs()
    {
        return watermarkNs;
    }

    int producerCount()
    {
        return producerCount;
    }

    int finishedCount()
    {
        return finishedCount;
    }

    /**
     * A message from a producer arrived: it is active again.
     *
     * @return the producer's index, for {@link #observe(int, long)}.
     */
    int touch(final int producerId, final long nowNs)
    {
        start(nowNs);
        final int index = indexOf(producerId);
        lastActiveNs[index] = nowNs;

        return index;
    }

    void observe(final int index, final long eventTimeNs)
    {
        if (eventTimeNs > maxEventTimeNs[index])
        {
            maxEventTimeNs[index] = eventTimeNs;
        }
    }

    /**
     * A producer sent end of stream.
     *
     * @return true when the stage is complete: the expected number of producers (or, with none configured, every
     * producer seen) has ended.
     */
    boolean finish(final int producerId, final long nowNs)
    {
        final int index = touch(producerId, nowNs);
        if (!finished[index])
        {
            finished[index] = true;
            finishedCount++;
        }

        return expectedProducerCount > 0 ? finishedCount >= expectedProducerCount : finishedCount == producerCount;
    }

    /**
     * Recompute the stage's watermark at a processing time.
     *
     * @return the watermark, never lower than before.
     */
    long advance(final long nowNs)
    {
        start(nowNs);
        final long[] maxEventTimeNs = this.maxEventTimeNs;
        final long[] lastActiveNs = this.lastActiveNs;
        final boolean[] finished = this.finished;
        final long idleTimeoutNs = this.idleTimeoutNs;
        boolean anyHolding = false;
        long minNs = Long.MAX_VALUE;
        if (producerCount < expectedProducerCount && nowNs - firstCallNs <= idleTimeoutNs)
        {
            anyHolding = true;
            minNs = Long.MIN_VALUE;
        }
        for (int i = 0, count = producerCount; i < count; i++)
        {
            if (!finished[i] && nowNs - lastActiveNs[i] <= idleTimeoutNs)
            {
                anyHolding = true;
                final long producerWatermarkNs = Long.MIN_VALUE == maxEventTimeNs[i] ?
                    Long.MIN_VALUE : saturatedSubtract(maxEventTimeNs[i], outOfOrdernessNs);
                // Math.min, not an if: which producer is behind flips during a run, and a branch compiled one way
                // deoptimized the aggregator's loop when it flipped (Math.min on longs compiles to a conditional move)
                minNs = Math.min(minNs, producerWatermarkNs);
            }
        }

        if (anyHolding && minNs > watermarkNs)
        {
            watermarkNs = minNs;
        }

        return watermarkNs;
    }

    /**
     * End of stream: the watermark jumps to {@link Long#MAX_VALUE}.
     */
    void complete()
    {
        watermarkNs = Long.MAX_VALUE;
    }

    private void start(final long nowNs)
    {
        if (!started)
        {
            started = true;
            firstCallNs = nowNs;
        }
    }

    private int indexOf(final int producerId)
    {
        if (producerId == lastProducerId && MISSING_INDEX != lastIndex)
        {
            return lastIndex;
        }
        final int index = indexByProducerId.get(producerId);
        if (MISSING_INDEX != index)
        {
            lastProducerId = producerId;
            lastIndex = index;
            return index;
        }

        final int newIndex = producerCount;
        if (newIndex == maxEventTimeNs.length)
        {
            maxEventTimeNs = Arrays.copyOf(maxEventTimeNs, newIndex * 2);
            lastActiveNs = Arrays.copyOf(lastActiveNs, newIndex * 2);
            finished = Arrays.copyOf(finished, newIndex * 2);
        }
        maxEventTimeNs[newIndex] = Long.MIN_VALUE;
        indexByProducerId.put(producerId, newIndex);
        producerCount = newIndex + 1;

        return newIndex;
    }

    static long saturatedSubtract(final long a, final long b)
    {
        final long result = a - b;
        return ((a ^ b) & (a ^ result)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : result;
    }

    static long saturatedAdd(final long a, final long b)
    {
        final long result = a + b;
        return ((a ^ result) & (b ^ result)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : result;
    }
}

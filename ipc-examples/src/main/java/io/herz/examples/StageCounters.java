package io.herz.examples;

import io.herz.ipc.transport.Subscription;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.LongSupplier;

/**
 * A stage's own figures (events, late events, rejected records, ...) published as named counters in the segment
 * of the ring it consumes, so that {@code herz stat} shows them live. Values are copied from the stage's plain
 * fields at most every 100 ms, from the stage's thread: nothing on the hot path.
 */
final class StageCounters
{
    private static final long PUBLISH_INTERVAL_NS = 100_000_000L;

    private final AtomicCounter[] counters;
    private final LongSupplier[] sources;
    private long nextPublishNs;

    /**
     * @param consumer the stage's input consumer, whose segment holds the counters.
     * @param prefix   label prefix, e.g. "aggregate".
     * @param labels   counter names, one per source.
     * @param sources  where each value comes from.
     */
    StageCounters(final Subscription consumer, final String prefix, final String[] labels, final LongSupplier[] sources)
    {
        this.sources = sources;
        this.counters = new AtomicCounter[labels.length];
        for (int i = 0; i < labels.length; i++)
        {
            counters[i] = consumer.newCounter(prefix + ": " + labels[i]);
        }
    }

    /**
     * Publish the current values if the interval has passed.
     *
     * @param nowNs {@link System#nanoTime()}.
     */
    void maybePublish(final long nowNs)
    {
        if (nowNs - nextPublishNs >= 0)
        {
            nextPublishNs = nowNs + PUBLISH_INTERVAL_NS;
            publish();
        }
    }

    /**
     * Publish the current values now (e.g. at the end of the stage).
     */
    void publish()
    {
        for (int i = 0; i < counters.length; i++)
        {
            counters[i].setRelease(sources[i].getAsLong());
        }
    }
}

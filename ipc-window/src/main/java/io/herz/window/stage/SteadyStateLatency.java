package io.herz.window.stage;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Publish-to-update latency of a window stage for the steady state only: events in the first
 * {@code warmupNs} after the first event (JIT compilation, page faults, a start-up backlog) are counted but not
 * recorded. Each recorded latency is also split in two: <i>queueing</i>, from the producer's publish stamp to the
 * start of the poll that read the event (time spent waiting in the ring, behind earlier events, or for the stage to
 * be scheduled), and <i>processing</i>, from that poll's start to the event's turn (the stage's own work on the
 * events before it in the batch). Use as the stage's {@link WindowStage#publishTimeObserver}; call
 * {@link #beginPoll()} before each {@link WindowStage#doWork()}. Allocation-free after construction; one thread.
 */
public final class SteadyStateLatency implements LongConsumer
{
    private static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);

    private final EpochNanoClock clock;
    private final long warmupNs;
    private final Histogram total = new Histogram(HIGHEST_NS, 3);
    private final Histogram queueing = new Histogram(HIGHEST_NS, 3);
    private final Histogram processing = new Histogram(HIGHEST_NS, 3);
    private long pollStartNs;
    private long firstEventNs = Long.MIN_VALUE;
    private long steadyFromNs = Long.MAX_VALUE;
    private long lastEventNs;
    private long warmupEventCount;
    private long eventCount;

    /**
     * @param clock    epoch nanoseconds, the clock the producers stamp with.
     * @param warmupNs how long after the first event nothing is recorded, e.g. 2 s.
     */
    public SteadyStateLatency(final EpochNanoClock clock, final long warmupNs)
    {
        this.clock = clock;
        this.warmupNs = warmupNs;
    }

    /**
     * Note the start of a poll of the inputs.
     */
    public void beginPoll()
    {
        pollStartNs = clock.nanoTime();
    }

    /**
     * An event reached the stage.
     *
     * @param publishTimeNs its publish stamp, epoch nanoseconds.
     */
    public void accept(final long publishTimeNs)
    {
        final long nowNs = clock.nanoTime();
        eventCount++;
        lastEventNs = nowNs;
        if (firstEventNs == Long.MIN_VALUE)
        {
            firstEventNs = nowNs;
            steadyFromNs = nowNs + warmupNs;
        }
        if (nowNs < steadyFromNs)
        {
            warmupEventCount++;
            return;
        }
        final long pollStartNs = Math.min(this.pollStartNs, nowNs);
        total.recordValue(clamp(nowNs - publishTimeNs));
        queueing.recordValue(clamp(pollStartNs - publishTimeNs));
        processing.recordValue(clamp(nowNs - pollStartNs));
    }

    private static long clamp(final long ns)
    {
        return Math.min(Math.max(0, ns), HIGHEST_NS);
    }

    /**
     * @return events seen, warm-up included.
     */
    public long eventCount()
    {
        return eventCount;
    }

    /**
     * @return events seen during the warm-up, not recorded.
     */
    public long warmupEventCount()
    {
        return warmupEventCount;
    }

    /**
     * @return seconds from the first to the last event, warm-up included (0 before two events).
     */
    public double activeSeconds()
    {
        return firstEventNs == Long.MIN_VALUE ? 0 : (lastEventNs - firstEventNs) / 1e9;
    }

    /**
     * @return events per second in the steady state (after the warm-up), or 0 if it never began.
     */
    public double steadyEventsPerSecond()
    {
        final long steadyCount = eventCount - warmupEventCount;
        return steadyCount < 2 || lastEventNs <= steadyFromNs ? 0 : steadyCount / ((lastEventNs - steadyFromNs) / 1e9);
    }

    /**
     * @return the publish-to-update histogram of the steady state.
     */
    public Histogram total()
    {
        return total;
    }

    /**
     * Describe, e.g. {@code "steady state after a 2.0 s warm-up (812,345 warm-up events not recorded): 3,187,655
     * events, 498,120 events/s; publish-to-update p50 ... p99 ... p99.9 ... max ...; queueing p50 .. p99 ..;
     * processing p50 .. p99 .."}. Allocates; call once at the end.
     *
     * @return the summary.
     */
    public String summary()
    {
        if (total.getTotalCount() == 0)
        {
            return String.format("no steady state: %,d events, all within the %.1f s warm-up", eventCount,
                warmupNs / 1e9);
        }
        return String.format("steady state after a %.1f s warm-up (%,d warm-up events not recorded): %,d events, " +
            "%,.0f events/s; publish-to-update p50 %s p99 %s p99.9 %s max %s; of which queueing (publish to poll) " +
            "p50 %s p99 %s p99.9 %s, processing (poll to update) p50 %s p99 %s p99.9 %s",
            warmupNs / 1e9, warmupEventCount, total.getTotalCount(), steadyEventsPerSecond(),
            micros(total.getValueAtPercentile(50)), micros(total.getValueAtPercentile(99)),
            micros(total.getValueAtPercentile(99.9)), micros(total.getMaxValue()),
            micros(queueing.getValueAtPercentile(50)), micros(queueing.getValueAtPercentile(99)),
            micros(queueing.getValueAtPercentile(99.9)), micros(processing.getValueAtPercentile(50)),
            micros(processing.getValueAtPercentile(99)), micros(processing.getValueAtPercentile(99.9)));
    }

    private static String micros(final long nanos)
    {
        return String.format("%.1f us", nanos / 1000.0);
    }
}

package io.herz.window.stage;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Publish-to-update latency of a window stage for the steady state only: events in the first
 * {@code warmupNs} after the first event (JIT compilation, page faults, a start-up backlog) are counted and kept
 * apart, never reported. Each recorded latency is also split in two: <i>queueing</i>, from the producer's publish
 * stamp to the start of the poll that read the event (time spent waiting in the ring, behind earlier events, or for
 * the stage to be scheduled), and <i>processing</i>, from that poll's start to the event's turn (the stage's own
 * work on the events before it in the batch). Use as the stage's {@link WindowStage#publishTimeObserver}; call
 * {@link #beginPoll()} before each {@link WindowStage#doWork()}. Allocation-free after construction; one thread.
 */
public final class SteadyStateLatency implements LongConsumer
{
    private static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);
    private static final int STEADY = 0;

    private final EpochNanoClock clock;
    private final long warmupNs;
    /** Index {@link #STEADY} holds the steady state, 1 the warm-up's (recorded, never reported). */
    private final Histogram[] total = histograms();
    private final Histogram[] queueing = histograms();
    private final Histogram[] processing = histograms();
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
        // 1 (the warm-up) before steadyFromNs, STEADY (0) from it on, without a branch: a branch taken only once the
        // warm-up ends was one C2 had compiled the stage's loop without, and taking it deoptimized that whole loop
        // (an uncommon trap and a recompile of the aggregator's hottest code, 2 s into every run).
        final int phase = (int)((nowNs - steadyFromNs) >>> 63);
        warmupEventCount += phase;
        final long pollStartNs = Math.min(this.pollStartNs, nowNs);
        total[phase].recordValue(clamp(nowNs - publishTimeNs));
        queueing[phase].recordValue(clamp(pollStartNs - publishTimeNs));
        processing[phase].recordValue(clamp(nowNs - pollStartNs));
    }

    private static Histogram[] histograms()
    {
        return new Histogram[] {new Histogram(HIGHEST_NS, 3), new Histogram(HIGHEST_NS, 3)};
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
        return total[STEADY];
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
        if (total[STEADY].getTotalCount() == 0)
        {
            return String.format("no steady state: %,d events, all within the %.1f s warm-up", eventCount,
                warmupNs / 1e9);
        }
        return String.format("steady state after a %.1f s warm-up (%,d warm-up events not recorded): %,d events, " +
            "%,.0f events/s; publish-to-update p50 %s p99 %s p99.9 %s max %s; of which queueing (publish to poll) " +
            "p50 %s p99 %s p99.9 %s, processing (poll to update) p50 %s p99 %s p99.9 %s",
            warmupNs / 1e9, warmupEventCount, total[STEADY].getTotalCount(), steadyEventsPerSecond(),
            micros(total[STEADY].getValueAtPercentile(50)), micros(total[STEADY].getValueAtPercentile(99)),
            micros(total[STEADY].getValueAtPercentile(99.9)), micros(total[STEADY].getMaxValue()),
            micros(queueing[STEADY].getValueAtPercentile(50)), micros(queueing[STEADY].getValueAtPercentile(99)),
            micros(queueing[STEADY].getValueAtPercentile(99.9)), micros(processing[STEADY].getValueAtPercentile(50)),
            micros(processing[STEADY].getValueAtPercentile(99)), micros(processing[STEADY].getValueAtPercentile(99.9)));
    }

    private static String micros(final long nanos)
    {
        return String.format("%.1f us", nanos / 1000.0);
    }
}

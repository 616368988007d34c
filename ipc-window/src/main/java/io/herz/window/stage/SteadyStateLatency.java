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
 * <p>
 * Sampling: every event is counted, and one event in {@code sampleInterval} (a power of two: the first, then every
 * {@code sampleInterval}-th) is timed: a clock read and three histogram records, 36-45 ns per timed event on the
 * 2-vCPU guests here (JMH, and the pipeline), 40% of the aggregator's main-thread CPU per event on the seed's dense
 * job when every event was timed. The percentiles are those of the timed events, an even sample of the stream; the
 * warm-up is told apart at each timed event (so to within {@code sampleInterval} events), and the time of the last
 * event is that of the last timed event or the start of the poll after the last event, whichever is later (so to
 * within one poll).
 */
public final class SteadyStateLatency implements LongConsumer
{
    /** The stages' default: one event in 16 timed (3.7 ns per event in all, against 35.9 timing every one, JMH). */
    public static final int DEFAULT_SAMPLE_INTERVAL = 16;
    private static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);
    private static final int STEADY = 0;

    private final EpochNanoClock clock;
    private final long warmupNs;
    private final int sampleInterval;
    private final long sampleMask;
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
    /** {@link #eventCount} when {@link #lastEventNs} was last set. */
    private long stampedEventCount;

    /**
     * Every event timed.
     *
     * @param clock    epoch nanoseconds, the clock the producers stamp with.
     * @param warmupNs how long after the first event nothing is recorded, e.g. 2 s.
     */
    public SteadyStateLatency(final EpochNanoClock clock, final long warmupNs)
    {
        this(clock, warmupNs, 1);
    }

    /**
     * @param clock          epoch nanoseconds, the clock the producers stamp with.
     * @param warmupNs       how long after the first event nothing is recorded, e.g. 2 s.
     * @param sampleInterval one event in this many is timed: a power of two, 1 for every event.
     * @throws IllegalArgumentException if {@code sampleInterval} is not a power of two.
     */
    public SteadyStateLatency(final EpochNanoClock clock, final long warmupNs, final int sampleInterval)
    {
        if (sampleInterval < 1 || (sampleInterval & (sampleInterval - 1)) != 0)
        {
            throw new IllegalArgumentException(
                "latency sample interval: expected a power of two >= 1 (1 times every event), found " + sampleInterval);
        }
        this.clock = clock;
        this.warmupNs = warmupNs;
        this.sampleInterval = sampleInterval;
        this.sampleMask = sampleInterval - 1;
    }

    /**
     * Note the start of a poll of the inputs: one clock read, which also ends the last poll, so events since the last
     * timed one are dated by it.
     */
    public void beginPoll()
    {
        final long nowNs = clock.nanoTime();
        if (eventCount != stampedEventCount)
        {
            lastEventNs = nowNs;
            stampedEventCount = eventCount;
        }
        pollStartNs = nowNs;
    }

    /**
     * An event reached the stage.
     *
     * @param publishTimeNs its publish stamp, epoch nanoseconds.
     */
    public void accept(final long publishTimeNs)
    {
        if ((eventCount++ & sampleMask) != 0)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        lastEventNs = nowNs;
        stampedEventCount = eventCount;
        if (firstEventNs == Long.MIN_VALUE)
        {
            firstEventNs = nowNs;
            steadyFromNs = nowNs + warmupNs;
        }
        // 1 (the warm-up) before steadyFromNs, STEADY (0) from it on, without a branch: a branch taken only once the
        // warm-up ends was one C2 had compiled the stage's loop without, and taking it deoptimized that whole loop
        // (an uncommon trap and a recompile of the aggregator's hottest code, 2 s into every run).
        final int phase = (int)((nowNs - steadyFromNs) >>> 63);
        warmupEventCount += (long)phase * sampleInterval; // this event and the untimed ones up to the next timed one
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
        return Math.min(warmupEventCount, eventCount);
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
        final long steadyCount = eventCount - warmupEventCount();
        return steadyCount < 2 || lastEventNs <= steadyFromNs ? 0 : steadyCount / ((lastEventNs - steadyFromNs) / 1e9);
    }

    /**
     * @return the publish-to-update histogram of the steady state: one value per timed event.
     */
    public Histogram total()
    {
        return total[STEADY];
    }

    /**
     * Describe, e.g. {@code "steady state after a 2.0 s warm-up (812,345 warm-up events not recorded): 3,187,655
     * events, 498,120 events/s; 1 event in 16 timed (199,228); publish-to-update p50 ... p99 ... p99.9 ... max ...;
     * queueing p50 .. p99 ..; processing p50 .. p99 .."} ({@code every event timed} with an interval of 1).
     * Allocates; call once at the end.
     *
     * @return the summary.
     */
    public String summary()
    {
        final long timed = total[STEADY].getTotalCount();
        if (timed == 0) // then every event counts as the warm-up's: its count goes up in steps of sampleInterval
        {
            return String.format("no steady state: %,d events, all within the %.1f s warm-up", eventCount,
                warmupNs / 1e9);
        }
        return String.format("steady state after a %.1f s warm-up (%,d warm-up events not recorded): %,d events, " +
            "%,.0f events/s; %s; publish-to-update p50 %s p99 %s p99.9 %s max %s; of which queueing (publish to " +
            "poll) p50 %s p99 %s p99.9 %s, processing (poll to update) p50 %s p99 %s p99.9 %s",
            warmupNs / 1e9, warmupEventCount(), eventCount - warmupEventCount(), steadyEventsPerSecond(),
            sampleInterval == 1 ? "every event timed" : String.format("1 event in %d timed (%,d)", sampleInterval,
                timed),
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

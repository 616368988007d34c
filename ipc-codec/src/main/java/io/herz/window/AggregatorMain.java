package io.herz.window;

import java.nio.file.Path;
import java.util.List;

import io.herz.codec.EventPublisher;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The aggregation stage as a process (until the {@code herz} CLI hosts it):
 * <pre>
 * AggregatorMain --in RING --out RING --window tumbling:1s|sliding:10s,1s|session:5s
 *     [--out-of-orderness 200ms] [--allowed-lateness 0] [--idle-timeout 5s] [--late-out RING] [--producers N]
 *     [--capacity 16m] [--stage-id N]
 * </pre>
 * It consumes {@code --in} (creating it if missing), publishes WindowResults into {@code --out} (opening it, or
 * creating it if the sink has not yet), and late events into {@code --late-out}. It ends when {@code --producers}
 * EndOfStream messages have arrived (default 0: when every producer that published has ended), flushes every
 * open window, forwards EndOfStream, prints a summary to stderr and exits 0. A usage error exits 2; SIGINT or
 * SIGTERM stops it without flushing (the JVM's exit status is then the signal's). Rings are left in place for the
 * other processes.
 */
public final class AggregatorMain
{
    static final String USAGE = "usage: AggregatorMain --in RING --out RING --window " +
        "tumbling:SIZE|sliding:SIZE,SLIDE|session:GAP [--out-of-orderness DURATION] [--allowed-lateness DURATION] " +
        "[--idle-timeout DURATION] [--late-out RING] [--producers N] [--capacity BYTES] [--stage-id N]";

    private static final List<String> OPTIONS = List.of(
        "--in", "--out", "--window", "--out-of-orderness", "--allowed-lateness", "--idle-timeout", "--late-out",
        "--producers", "--capacity", "--stage-id");

    private AggregatorMain()
    {
    }

    /**
     * Run the stage and exit with its code.
     *
     * @param args the options above.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the stage.
     *
     * @param args the options above.
     * @return 0 after end of stream, 2 on a usage error, 130 when stopped by SIGINT.
     */
    public static int run(final String[] args)
    {
        final Path in;
        final Path out;
        final Path lateOut;
        final AggregatorConfig config;
        final SegmentConfig segmentConfig;
        final int stageId;
        try
        {
            final StageArgs options = new StageArgs(args, OPTIONS);
            in = options.path("--in");
            out = options.path("--out");
            lateOut = options.has("--late-out") ? options.path("--late-out") : null;
            WindowSpec window;
            try
            {
                window = WindowSpec.parse(options.string("--window"));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--window " + ex.getMessage(), ex);
            }
            final long idleTimeoutNs = options.durationNs("--idle-timeout", AggregatorConfig.NO_IDLE_TIMEOUT);
            config = new AggregatorConfig()
                .window(window)
                .outOfOrdernessNs(options.durationNs("--out-of-orderness", 0))
                .allowedLatenessNs(options.durationNs("--allowed-lateness", 0))
                .idleTimeoutNs(0 == idleTimeoutNs ? AggregatorConfig.NO_IDLE_TIMEOUT : idleTimeoutNs)
                .producerCount(options.nonNegativeInt("--producers", 0))
                .conclude();
            segmentConfig = new SegmentConfig()
                .capacity(options.sizeBytes("--capacity", SegmentConfig.DEFAULT_CAPACITY));
            segmentConfig.conclude();
            stageId = options.nonNegativeInt("--stage-id", 0);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(USAGE);
            return 2;
        }

        return runStage(in, out, lateOut, config, segmentConfig, stageId);
    }

    private static int runStage(
        final Path in,
        final Path out,
        final Path lateOut,
        final AggregatorConfig config,
        final SegmentConfig segmentConfig,
        final int stageId)
    {
        final StageShutdown shutdown = new StageShutdown();

        Segment inSegment = null;
        RingConsumer consumer = null;
        Segment outSegment = null;
        RingProducer producer = null;
        Segment lateSegment = null;
        RingProducer lateProducer = null;
        try
        {
            inSegment = Segment.openOrCreate(in, segmentConfig);
            consumer = new RingConsumer(inSegment);
            outSegment = Segment.openOrCreate(out, segmentConfig);
            producer = new RingProducer(outSegment, stageId);
            EventPublisher latePublisher = null;
            if (null != lateOut)
            {
                lateSegment = Segment.openOrCreate(lateOut, segmentConfig);
                lateProducer = new RingProducer(lateSegment, stageId);
                latePublisher = new EventPublisher(lateProducer, stageId);
            }

            final IdleStrategy backPressureIdle = new BackoffIdleStrategy();
            final WindowStage stage = new WindowStage(
                consumer,
                new EventPublisher(producer, stageId),
                latePublisher,
                config,
                backPressureIdle,
                new SystemNanoClock());
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (!stage.isDone() && !shutdown.isRequested())
            {
                idle.idle(stage.doWork());
            }

            System.err.println("aggregator " + config.window() + ": " + stage.summary() +
                (stage.isDone() ? "" : " (stopped by signal)"));
            if (stage.dispatcher().rejectedCount() > 0)
            {
                System.err.println(stage.dispatcher().report());
            }
            return stage.isDone() ? 0 : 130;
        }
        finally
        {
            CloseHelper.closeAll(lateProducer, lateSegment, producer, outSegment, consumer, inSegment);
            shutdown.done();
        }
    }
}

package io.herz.examples;

import io.herz.codec.EventPublisher;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import io.herz.window.AggregatorConfig;
import io.herz.window.WindowSpec;
import io.herz.window.stage.SteadyStateLatency;
import io.herz.window.stage.WindowStage;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code herz aggregate}: the event-time windowing stage between two rings. Creates its input ring if missing (it
 * is that ring's consumer), opens or creates its output ring, ends after {@code --producers} EndOfStream messages
 * (default: when every producer that published has ended), flushes all open windows in order of window end,
 * forwards EndOfStream and exits 0. Prints throughput and the publish-to-update latency of the steady state (one event
 * in {@code --latency-sample} timed).
 */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
    description = "Event-time windowing stage: Events in, WindowResults out (tumbling, sliding or session windows).")
public final class AggregateCommand implements Callable<Integer>
{
    /** The option that makes the results publication exclusive. */
    static final String EXCLUSIVE_OUTPUT = "--exclusive-output";

    /** Bytes per batch claim of the output and late publications ({@code PublicationOptions.batchBytes}). */
    static final int OUTPUT_BATCH_BYTES = 1024;

    @Option(names = "--in", required = true, paramLabel = "URI",
        description = "Stream of Events to consume: a ring path (or shm:PATH), aeron:udp?endpoint=HOST:PORT or " +
            "aeron:ipc. Repeat to merge several inputs (watermarks per input).")
    private java.util.List<String> in;

    @Option(names = "--consumer-name", defaultValue = SubscriptionOptions.DEFAULT_CONSUMER_NAME, paramLabel = "NAME",
        description = "Name this stage consumes its inputs under (fan-out: one name per reading stage; default: " +
            "${DEFAULT-VALUE}).")
    private String consumerName;

    @Option(names = "--warmup", defaultValue = "2s", converter = Converters.DurationNs.class,
        description = "Latency is recorded only after this long from the first event (default: ${DEFAULT-VALUE}).")
    private long warmupNs;

    @Option(names = "--latency-sample", defaultValue = "" + SteadyStateLatency.DEFAULT_SAMPLE_INTERVAL,
        paramLabel = "N",
        description = "Time one event in N for the latency percentiles, a power of two; 1 times every event, at " +
            "about 40 ns each (default: ${DEFAULT-VALUE}).")
    private int latencySample;

    @Option(names = "--timeline", defaultValue = "0s", converter = Converters.DurationNs.class,
        paramLabel = "INTERVAL",
        description = "Print a rate timeline line every INTERVAL (events, results, main thread CPU, JIT, GC), " +
            "e.g. 100ms; 0 for none (default: ${DEFAULT-VALUE}).")
    private long timelineNs;

    @Option(names = "--ready-file", paramLabel = "FILE",
        description = "Create FILE once the inputs and output are open (deleted at exit); see produce --start-after.")
    private java.nio.file.Path readyFile;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "Stream to publish WindowResults to.")
    private String out;

    @Option(names = "--window", required = true, paramLabel = "SPEC",
        description = "tumbling:SIZE | sliding:SIZE,SLIDE | session:GAP, e.g. tumbling:1s, sliding:10s,1s")
    private String window;

    @Option(names = "--out-of-orderness", defaultValue = "200ms", converter = Converters.DurationNs.class,
        description = "Allowed disorder of event time per producer (default: ${DEFAULT-VALUE}).")
    private long outOfOrdernessNs;

    @Option(names = "--allowed-lateness", defaultValue = "0s", converter = Converters.DurationNs.class,
        description = "How long after emission a late event still updates its window (default: ${DEFAULT-VALUE}).")
    private long allowedLatenessNs;

    @Option(names = "--idle-timeout", defaultValue = "0s", converter = Converters.DurationNs.class,
        description = "A producer silent this long stops holding the watermark back; 0 for never " +
            "(default: ${DEFAULT-VALUE}).")
    private long idleTimeoutNs;

    @Option(names = EXCLUSIVE_OUTPUT, description = "Publish --out as its only producer (shm: an exclusive " +
        "producer, no locked instruction per record; a second producer is refused). herz pipeline sets it when this " +
        "stage is the only writer of its results ring.")
    private boolean exclusiveOutput;

    @Option(names = "--late-out", paramLabel = "URI", description = "Stream to forward events too late to count.")
    private String lateOut;

    @Option(names = "--producers", defaultValue = "0",
        description = "EndOfStream messages that end the input; 0 means every producer that published " +
            "(default: ${DEFAULT-VALUE}).")
    private int producers;

    @Option(names = "--capacity", defaultValue = "16m", converter = Converters.Size.class,
        description = "Data capacity of rings this stage creates (default: ${DEFAULT-VALUE}).")
    private long capacity;

    @Option(names = "--stage-id", defaultValue = "0", description = "Producer id of this stage's output.")
    private int stageId;

    @Option(names = "--idle", defaultValue = "backoff", converter = Converters.Idle.class,
        description = "Idle strategy when there is no input: busy-spin, yielding, backoff, backoff-fast, sleeping " +
            "(default: ${DEFAULT-VALUE}).")
    private String idleName;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public Integer call()
    {
        final AggregatorConfig config;
        final SteadyStateLatency latency;
        try
        {
            config = new AggregatorConfig()
                .window(WindowSpec.parse(window))
                .outOfOrdernessNs(outOfOrdernessNs)
                .allowedLatenessNs(allowedLatenessNs)
                .idleTimeoutNs(idleTimeoutNs == 0 ? AggregatorConfig.NO_IDLE_TIMEOUT : idleTimeoutNs)
                .producerCount(producers)
                .conclude();
            latency = new SteadyStateLatency(new SystemEpochNanoClock(), warmupNs, latencySample);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final SegmentConfig segmentConfig = Converters.segmentConfig(spec, capacity);
        final Shutdown shutdown = Shutdown.instance();

        final Subscription[] consumers = new Subscription[in.size()];
        Publication producer = null;
        Publication lateProducer = null;
        try
        {
            for (int i = 0; i < consumers.length; i++)
            {
                consumers[i] = Transports.subscription(in.get(i),
                    Converters.subscriptionOptions(spec, consumerName, segmentConfig));
            }
            final Subscription consumer = consumers[0];
            producer = Transports.publication(out, outputOptions(segmentConfig).exclusive(exclusiveOutput));
            EventPublisher latePublisher = null;
            if (lateOut != null)
            {
                lateProducer = Transports.publication(lateOut, outputOptions(segmentConfig));
                latePublisher = new EventPublisher(lateProducer, stageId);
            }

            final WindowStage stage = new WindowStage(consumers, new EventPublisher(producer, stageId), latePublisher,
                config, new BackoffIdleStrategy(), new SystemNanoClock())
                .publishTimeObserver(latency);
            final StageCounters counters = new StageCounters(consumer, "aggregate",
                new String[]{ "events", "late events", "results", "updates", "rejected records",
                    "output back-pressure" },
                new java.util.function.LongSupplier[]{ () -> stage.aggregator().eventCount(),
                    () -> stage.aggregator().lateEventCount(), stage::resultCount, stage::updateCount,
                    () -> stage.dispatcher().rejectedCount(), stage::backPressureCount });
            final IdleStrategy idle = io.herz.ipc.idle.IdleStrategies.of(idleName);
            final Timeline timeline = timelineNs <= 0 ? null : new Timeline(System.out, timelineNs,
                new String[]{ "events", "results" },
                new java.util.function.LongSupplier[]{ () -> stage.aggregator().eventCount(), stage::resultCount },
                System.nanoTime());
            try (StartGate ready = StartGate.signal(readyFile))
            {
                while (!stage.isDone() && !shutdown.isRequested())
                {
                    latency.beginPoll();
                    final int work = stage.doWork();
                    final long nowNs = System.nanoTime();
                    counters.maybePublish(nowNs);
                    if (null != timeline)
                    {
                        timeline.maybePrint(nowNs);
                    }
                    idle.idle(work);
                }
            }
            if (null != timeline)
            {
                timeline.print(System.nanoTime());
            }
            counters.publish();
            final double seconds = latency.activeSeconds();
            System.out.printf("aggregator %s: %s%s%n", config.window(), stage.summary(),
                stage.isDone() ? "" : " (stopped by signal)");
            System.out.printf("aggregator: %,d events in %.2f s (%,.0f events/s); %s; peak RSS %s%n",
                latency.eventCount(), seconds, seconds > 0 ? latency.eventCount() / seconds : 0.0, latency.summary(),
                ProcessStats.peakRss());
            System.out.println(MemoryReport.line());
            System.out.println(CpuReport.line());
            if (stage.dispatcher().rejectedCount() > 0)
            {
                System.out.println(stage.dispatcher().report());
            }
            return 0;
        }
        finally
        {
            CloseHelper.closeAll(lateProducer, producer);
            CloseHelper.closeAll(consumers);
        }
    }

    private PublicationOptions outputOptions(final SegmentConfig segmentConfig)
    {
        // WindowResults in batches of 1 KiB (a quarter of a smaller ring): one ring claim and commit per batch; the
        // stage flushes at the end of every duty cycle (WindowStageBenchmark: not slower, see the seam2 report)
        return new PublicationOptions().producerId(stageId).create(true).segmentConfig(segmentConfig)
            .batchBytes(OUTPUT_BATCH_BYTES);
    }
}

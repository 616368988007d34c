package io.herz.examples;

import io.herz.codec.EventPublisher;
import io.herz.codec.PartitionedEventPublisher;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.idle.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code herz produce}: publish synthetic or JSON-derived Events into a ring, then EndOfStream.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Publish Events into a ring (synthetic or from JSON lines), then EndOfStream.")
public final class ProduceCommand implements Callable<Integer>
{
    /**
     * Bytes per batch claim of an unpaced producer: 4 KiB, about 60 events; a quarter of the ring at most (the
     * publication asks for less on a smaller ring).
     */
    static final int UNPACED_BATCH_BYTES = 4096;

    @Option(names = "--ring", required = true, paramLabel = "URI",
        description = "Stream to publish into: a ring path (or shm:PATH), aeron:udp?endpoint=HOST:PORT or aeron:ipc.")
    private String ring;

    @Option(names = "--producer-id", required = true, paramLabel = "N", description = "This producer's id.")
    private int producerId;

    @Option(names = "--open-timeout", defaultValue = "10s", converter = Converters.DurationNs.class,
        description = "How long to wait for the ring to appear (default: ${DEFAULT-VALUE}).")
    private long openTimeoutNs;

    @Option(names = "--start-after", paramLabel = "FILE",
        description = "Publish only once FILE exists (a consumer's --ready-file); repeatable, within --open-timeout.")
    private java.util.List<java.nio.file.Path> startAfter = java.util.List.of();

    @Option(names = "--rate", defaultValue = "0", converter = Converters.Rate.class, paramLabel = "N/s",
        description = "Events per second, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    private long ratePerSecond;

    @Option(names = "--idle", defaultValue = "backoff", converter = Converters.Idle.class,
        description = "Idle strategy while the ring is full (back-pressure): busy-spin, yielding, backoff, " +
            "backoff-fast, sleeping (1 ms naps; slower in bench-pipeline than backoff) " +
            "(default: ${DEFAULT-VALUE}).")
    private String idleName;

    @Option(names = "--batch-bytes", paramLabel = "BYTES",
        description = "Claim this many bytes of the ring at once for several events (shm: rings; one tail CAS and " +
            "one commit per batch, visible when full, on back-pressure and at the end); 0 for one claim per event " +
            "(default: " + UNPACED_BATCH_BYTES + " unpaced, 0 with --rate, where every event is visible at once).")
    private Integer batchBytes;

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "N",
        description = "Publish into N partitions of the ring (events-0.seg..; aeron: stream-id + i), each event to " +
            "partition hash(key) mod N, end of stream and watermarks to all (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--watermark-every", paramLabel = "N",
        description = "Broadcast a watermark to every partition after N events; 0 for never (default: " +
            PartitionedEventPublisher.DEFAULT_WATERMARK_EVERY_EVENTS + " with --partitions > 1, else 0).")
    private Integer watermarkEvery;

    @Option(names = "--watermark-interval", converter = Converters.DurationNs.class, paramLabel = "DURATION",
        description = "Broadcast a watermark when this much time passed since the last one, while event time " +
            "advances; 0 for never (default: " + PartitionedEventPublisher.DEFAULT_WATERMARK_INTERVAL_MS +
            "ms with --partitions > 1, else 0).")
    private Long watermarkIntervalNs;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    static final class Source
    {
        @ArgGroup(exclusive = false)
        Synthetic synthetic;

        @ArgGroup(exclusive = false)
        JsonInput json;
    }

    static final class Synthetic
    {
        @Option(names = "--synthetic", required = true, description = "Generate events.")
        boolean enabled;

        @Option(names = "--count", defaultValue = "1000000", description = "Events to publish (default: ${DEFAULT-VALUE}).")
        long count;


        @Option(names = "--keys", defaultValue = "100", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
        int keys;
    }

    static final class JsonInput
    {
        @Option(names = "--json", required = true, paramLabel = "FILE|-", description = "JSON lines file, - for stdin.")
        String file;

        @Option(names = "--ts-field", defaultValue = "ts", description = "Event time field (default: ${DEFAULT-VALUE}).")
        String tsField;

        @Option(names = "--ts-unit", defaultValue = "ms", description = "ms, us or ns (default: ${DEFAULT-VALUE}).")
        String tsUnit;

        @Option(names = "--key-field", defaultValue = "key", description = "Key field (default: ${DEFAULT-VALUE}).")
        String keyField;

        @Option(names = "--value-field", defaultValue = "value",
            description = "Value field (default: ${DEFAULT-VALUE}).")
        String valueField;
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public Integer call() throws Exception
    {
        if (source.synthetic != null)
        {
            checkSynthetic(source.synthetic);
        }
        final Shutdown shutdown = Shutdown.instance();
        try (PartitionedEventPublisher publisher = openPartitions())
        {
            // consumers up first: no start-up backlog
            StartGate.printStarted(startAfter, StartGate.await(startAfter, openTimeoutNs, shutdown::isRequested));
            final IdleStrategy idle = IdleStrategies.of(idleName);
            final long startNs = System.nanoTime();
            final int result = source.synthetic != null ?
                synthetic(publisher, idle, shutdown) :
                JsonProduce.run(source.json, intervalNs(), publisher, idle, shutdown, System.out);
            while (publisher.publishEndOfStream() < 0)
            {
                idle.idle();
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            System.out.printf("producer %d: published %,d events in %.2f s (%,.0f/s), back-pressured %,d times, " +
                "peak RSS %s%s%n", producerId, publisher.eventCount(), seconds, publisher.eventCount() / seconds,
                publisher.backPressureCount(), ProcessStats.peakRss(), shutdown.isRequested() ? " (stopped by signal)" : "");
            System.out.println(MemoryReport.line());
            System.out.println(CpuReport.line());
            return result;
        }
    }

    private PartitionedEventPublisher openPartitions()
    {
        final boolean partitioned = partitions > 1;
        final long defaultIntervalNs = partitioned ?
            TimeUnit.MILLISECONDS.toNanos(PartitionedEventPublisher.DEFAULT_WATERMARK_INTERVAL_MS) : 0;
        final int every = watermarkEvery != null ? watermarkEvery :
            (partitioned ? PartitionedEventPublisher.DEFAULT_WATERMARK_EVERY_EVENTS : 0);
        final long intervalNs = watermarkIntervalNs != null ? watermarkIntervalNs : defaultIntervalNs;
        try
        {
            final int batch = batchBytes != null ? batchBytes : ratePerSecond == 0 ? UNPACED_BATCH_BYTES : 0;
            return PartitionedEventPublisher.open(ring, partitions, new PublicationOptions()
                .producerId(producerId)
                .batchBytes(batch)
                .segmentConfig(new SegmentConfig().openTimeoutMs(TimeUnit.NANOSECONDS.toMillis(openTimeoutNs))),
                every, intervalNs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    /**
     * Wait until {@code dueNs} by parking, never spinning: a paced producer must leave the CPU to the other stages
     * (on a 2-core machine a spinning producer starves the consumer and its latency). A park lasts at least the
     * timer slack (~50 us), so events go out in small bursts that keep to the schedule on average; the latency a
     * consumer measures starts at publish and does not include this wait.
     */
    static void pace(final long dueNs)
    {
        long leftNs;
        while ((leftNs = dueNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(leftNs);
        }
    }

    /**
     * @return nanoseconds between events for {@code --rate}, 0 for unpaced.
     */
    long intervalNs()
    {
        return ratePerSecond == 0 ? 0 : 1_000_000_000L / ratePerSecond;
    }

    private void checkSynthetic(final Synthetic synthetic)
    {
        if (synthetic.count < 0 || synthetic.keys < 1 || ratePerSecond < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "synthetic options out of range: expected " +
                "--count >= 0, --keys >= 1, --rate >= 0, found --count " + synthetic.count + " --keys " +
                synthetic.keys + " --rate " + ratePerSecond);
        }
    }

    private int synthetic(final PartitionedEventPublisher publisher, final IdleStrategy idle, final Shutdown shutdown)
    {
        final Synthetic synthetic = source.synthetic;
        final int keyCount = synthetic.keys;
        final UnsafeBuffer keys = new UnsafeBuffer(new byte[keyCount * EventPublisher.MAX_KEY_LENGTH]);
        final int[] keyLengths = new int[keyCount];
        for (int k = 0; k < keyCount; k++)
        {
            final byte[] bytes = ("key-" + k).getBytes(StandardCharsets.US_ASCII);
            keys.putBytes(k * EventPublisher.MAX_KEY_LENGTH, bytes);
            keyLengths[k] = bytes.length;
        }
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final long intervalNs = intervalNs();
        final long count = synthetic.count;
        final long startNs = System.nanoTime();
        for (long i = 0; i < count && !shutdown.isRequested(); i++)
        {
            if (intervalNs > 0)
            {
                publisher.poll(); // time-based watermarks while paced
                pace(startNs + i * intervalNs);
            }
            final int key = (int)(i % keyCount);
            final double value = (i * 7919L % 10_000) / 100.0;
            while (publisher.publishEvent(clock.nanoTime(), keys, key * EventPublisher.MAX_KEY_LENGTH, keyLengths[key],
                value) < 0)
            {
                if (shutdown.isRequested())
                {
                    return 0;
                }
                idle.idle();
            }
            idle.reset();
        }
        return 0;
    }
}

package io.herz.aeron;

import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A short measurement, not a correctness test (tag "soak": CI skips it): 64-byte messages through the seam over
 * {@code shm:}, {@code aeron:ipc} and {@code aeron:udp} on loopback, one publisher thread and one subscriber thread
 * in one JVM with one embedded driver (SHARED threading). Throughput: as fast as possible; one-way latency: paced,
 * each message carries its send time ({@link System#nanoTime()}). The peers run interleaved, twice each.
 * Run: {@code mvn -pl ipc-aeron -am test -Dtest=TransportPerfTest -Dherz.test.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("soak")
class TransportPerfTest
{
    private static final int LENGTH = 64;
    private static final int THROUGHPUT_COUNT = 2_000_000;
    private static final int LATENCY_COUNT = 100_000;
    private static final long LATENCY_INTERVAL_NS = 20_000; // 50,000 messages/s

    @Test
    void measure() throws Exception
    {
        final Path base = Path.of("/dev/shm", "herz-test-perf-" + ProcessHandle.current().pid());
        System.setProperty(AeronDriverConfig.BASE_DIR_PROP, base.toString());
        try
        {
            final String[] uris = { "shm:" + base.resolve("perf.ring"), "aeron:ipc?stream-id=31",
                "aeron:udp?endpoint=127.0.0.1:" + freePort() + "|stream-id=32" };
            Files.createDirectories(base);
            for (int round = 0; round < 2; round++)
            {
                for (final String uri : uris)
                {
                    run(uri, round);
                }
            }
        }
        finally
        {
            System.clearProperty(AeronDriverConfig.BASE_DIR_PROP);
            IoUtil.delete(base.toFile(), true);
        }
    }

    private static void run(final String uri, final int round) throws Exception
    {
        final SegmentConfig config = new SegmentConfig().capacity(4 * 1024 * 1024).openTimeoutMs(10_000);
        try (Subscription subscription = Transports.subscription(uri, new SubscriptionOptions().segmentConfig(config));
            Publication publication = Transports.publication(uri,
                new PublicationOptions().exclusive(true).segmentConfig(config)))
        {
            final double rate = throughput(publication, subscription);
            final Histogram latency = latency(publication, subscription);
            System.out.printf("round %d %-40s throughput %,.0f msg/s (%.0f MB/s); one-way latency at 50k msg/s: " +
                "p50 %.1f us p99 %.1f us p99.9 %.1f us max %.1f us%n", round, uri.replaceAll("/dev/shm/[^ ]*/", ""),
                rate, rate * LENGTH / 1e6, latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                latency.getMaxValue() / 1e3);
        }
    }

    private static double throughput(final Publication publication, final Subscription subscription)
        throws Exception
    {
        final AtomicLong received = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            long count = 0;
            while (count < THROUGHPUT_COUNT)
            {
                final int n = subscription.poll((type, buffer, offset, length) -> {}, 1024);
                if (n == 0)
                {
                    Thread.onSpinWait();
                }
                count += n;
            }
            received.set(count);
        });
        final long startNs = System.nanoTime();
        reader.start();
        for (int i = 0; i < THROUGHPUT_COUNT; i++)
        {
            int index;
            while ((index = publication.tryClaim(1, LENGTH)) < 0)
            {
                Thread.onSpinWait();
            }
            publication.buffer().putLong(index, i);
            publication.commit(index);
        }
        reader.join(TimeUnit.MINUTES.toMillis(2));
        final long elapsedNs = System.nanoTime() - startNs;
        assertEquals(THROUGHPUT_COUNT, received.get());
        return THROUGHPUT_COUNT * 1e9 / elapsedNs;
    }

    private static Histogram latency(final Publication publication, final Subscription subscription)
        throws Exception
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Thread reader = new Thread(() ->
        {
            final long[] count = { 0 };
            while (count[0] < LATENCY_COUNT)
            {
                if (subscription.poll((type, buffer, offset, length) ->
                {
                    histogram.recordValue(Math.min(System.nanoTime() - buffer.getLong(offset),
                        histogram.getHighestTrackableValue()));
                    count[0]++;
                }, 64) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        });
        reader.start();
        final long startNs = System.nanoTime();
        for (int i = 0; i < LATENCY_COUNT; i++)
        {
            final long dueNs = startNs + i * LATENCY_INTERVAL_NS;
            while (System.nanoTime() < dueNs)
            {
                Thread.onSpinWait();
            }
            int index;
            while ((index = publication.tryClaim(1, LENGTH)) < 0)
            {
                Thread.onSpinWait();
            }
            publication.buffer().putLong(index, System.nanoTime());
            publication.commit(index);
        }
        reader.join(TimeUnit.MINUTES.toMillis(2));
        assertEquals(LATENCY_COUNT, histogram.getTotalCount());
        return histogram;
    }

    private static int freePort() throws Exception
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}

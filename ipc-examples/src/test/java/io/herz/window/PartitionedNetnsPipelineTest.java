package io.herz.window;

import io.herz.codec.Partitions;
import io.herz.examples.HerzCli;
import io.herz.ipc.test.ChildJvm;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's partitioned pipeline across two hosts: two network namespaces joined by a veth pair (10.x addresses
 * that exist only inside them). The "aggregation host" runs its own media driver ({@code herz driver}), two
 * aggregator instances, each subscribed to one partition of {@code aeron:udp?endpoint=B:PORT|stream-id=1000}
 * (streams 1000 and 1001, {@link Partitions#uri}), and the sink of their shared window ring; the "producer host"
 * runs its own media driver and two producers that route each event to {@code hash(key) mod 2} and broadcast their
 * watermarks to both partitions, producer 2 sending only to partition 0 for the first half of its stream. The CSV
 * must hold exactly the windows of a single aggregator over all events ({@link PartitionedPipelineTest#reference}).
 * The window ring is a file in /dev/shm, which namespaces of the network alone share. Skipped where
 * {@code ip netns add} is not allowed; the namespaces are deleted whatever happens.
 */
@Timeout(180)
class PartitionedNetnsPipelineTest
{
    private static final List<String> STAGE_JVM = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1");
    private static final String WINDOW = "tumbling:100ms";
    private static final int PARTITIONS = 2;
    private static final long WAIT_MS = 120_000;

    private final List<ChildJvm> children = new ArrayList<>();
    private final Path driverBase = Path.of("/dev/shm", "herz-test-netns-" + ProcessHandle.current().pid() + "-" +
        System.nanoTime());

    @TempDir
    Path dir;

    @AfterEach
    void destroyChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
        IoUtil.delete(driverBase.toFile(), true);
    }

    @Test
    void shouldWriteSingleAggregatorWindowsWhenPartitionsCrossAVethBetweenTwoNamespaces() throws Exception
    {
        try (TwoHosts hosts = new TwoHosts("p", 201))
        {
            final String producerHost = hosts.first;
            final String aggregatorHost = hosts.second;
            final String subnet = hosts.subnet;
            final List<String> onProducerHost = List.of("ip", "netns", "exec", producerHost);
            final List<String> onAggregatorHost = List.of("ip", "netns", "exec", aggregatorHost);
            final Path aggregatorDriverDir = driverBase.resolve("aggregator-host");
            final Path producerDriverDir = driverBase.resolve("producer-host");
            final ChildJvm aggregatorDriver = driver("driver-a", onAggregatorHost, aggregatorDriverDir);
            final ChildJvm producerDriver = driver("driver-p", onProducerHost, producerDriverDir);

            final String events = "aeron:udp?endpoint=" + subnet + "2:40300|stream-id=1000";
            final Path windows = dir.resolve("windows.seg");
            final Path csv = dir.resolve("results.csv");
            final ChildJvm sink = herz("sink", onAggregatorHost, "sink", "--ring", windows.toString(), "--csv",
                csv.toString(), "--producers", Integer.toString(PARTITIONS), "--capacity", "1m");
            final List<ChildJvm> aggregators = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++)
            {
                aggregators.add(herz("aggregator-" + i, onAggregatorHost, "--aeron-dir",
                    aggregatorDriverDir.toString(), "aggregate", "--in", Partitions.uri(events, i, PARTITIONS),
                    "--out", windows.toString(), "--window", WINDOW, "--out-of-orderness", "50ms", "--producers",
                    "2", "--stage-id", Integer.toString(i), "--capacity", "1m"));
            }
            // Both partitions subscribed before a producer connects, or one would join at the live position.
            AeronPipelineCliTest.awaitStageCounters(aggregatorDriverDir, PARTITIONS);

            final List<List<TestEvents.TestEvent>> streams = List.of(
                PartitionedPipelineTest.skewed(1, PARTITIONS, 0),
                PartitionedPipelineTest.skewed(2, PARTITIONS, PartitionedPipelineTest.EVENTS_PER_PRODUCER / 2));
            final List<ChildJvm> producers = new ArrayList<>();
            for (int producerId = 1; producerId <= 2; producerId++)
            {
                producers.add(herz("producer-" + producerId, onProducerHost, "--aeron-dir",
                    producerDriverDir.toString(), "produce", "--ring", events, "--partitions",
                    Integer.toString(PARTITIONS), "--producer-id", Integer.toString(producerId), "--json",
                    jsonLines(producerId, streams.get(producerId - 1)).toString(), "--ts-unit", "ns",
                    "--open-timeout", "60s"));
            }
            for (final ChildJvm producer : producers)
            {
                producer.awaitSuccess(WAIT_MS);
            }
            for (final ChildJvm aggregator : aggregators)
            {
                aggregator.awaitSuccess(WAIT_MS);
            }
            sink.awaitSuccess(WAIT_MS);

            assertEquals(PartitionedPipelineTest.reference(WINDOW, streams), PartitionedPipelineTest.rows(csv),
                sink.logTail());
            for (final ChildJvm aggregator : aggregators)
            {
                assertTrue(aggregator.log().contains("late=0 "), aggregator::logTail);
            }
            final long sent = txBytes(producerHost, hosts.firstLink);
            assertTrue(sent > 4L * PartitionedPipelineTest.EVENTS_PER_PRODUCER * 16,
                "the events crossed the veth: " + sent + " bytes sent by the producer host");
            AeronPipelineCliTest.stopDriver(producerDriver, producerDriverDir);
            AeronPipelineCliTest.stopDriver(aggregatorDriver, aggregatorDriverDir);
        }
        finally
        {
            children.forEach(ChildJvm::destroyForcibly);
        }
    }

    /** @return bytes a namespace's interface has sent, from its own /sys (ip netns exec mounts it). */
    private static long txBytes(final String namespace, final String device) throws Exception
    {
        final Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "cat",
            "/sys/class/net/" + device + "/statistics/tx_bytes").redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes()).trim();
        assertEquals(0, process.waitFor(), output);
        return Long.parseLong(output);
    }

    private ChildJvm driver(final String name, final List<String> prefix, final Path aeronDir) throws Exception
    {
        final ChildJvm driver = herz(name, prefix, "--aeron-dir", aeronDir.toString(), "driver");
        AeronPipelineCliTest.awaitLog(driver, "aeron driver running in");
        return driver;
    }

    private ChildJvm herz(final String name, final List<String> prefix, final String... args) throws Exception
    {
        final List<String> flags = new ArrayList<>(STAGE_JVM);
        flags.add("-D" + io.herz.aeron.AeronDriverConfig.BASE_DIR_PROP + "=" + driverBase);
        final ChildJvm child = ChildJvm.start(name, prefix, HerzCli.class, flags, args);
        children.add(child);
        return child;
    }

    private Path jsonLines(final int producerId, final List<TestEvents.TestEvent> events) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        for (final TestEvents.TestEvent event : events)
        {
            lines.add("{\"ts\":" + event.eventTimeNs() + ",\"key\":\"" + event.key() + "\",\"value\":" +
                event.value() + "}");
        }
        final Path file = dir.resolve("producer-" + producerId + ".jsonl");
        Files.write(file, lines);
        return file;
    }
}

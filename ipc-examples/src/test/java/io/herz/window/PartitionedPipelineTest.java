package io.herz.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herz.codec.Partitions;
import io.herz.examples.HerzCli;
import io.herz.ipc.test.ChildJvm;
import io.herz.ipc.transport.TransportUri;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel pipelines through the real launcher: {@code herz pipeline --spec} (a JVM) starts every stage as its own
 * JVM. The CSV a sink writes must hold exactly the rows {@link ReferenceWindowing} computes for all events through a
 * single aggregator: every key's windows, nothing duplicated or missing, whichever partition a key falls on. Each
 * producer's disorder stays within the out-of-orderness and every aggregator waits for both producers, so no event
 * is late however the streams interleave.
 */
@Timeout(300)
class PartitionedPipelineTest
{
    private static final String STAGE_JVM = "jvm=\"-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1\"";
    private static final String CAPACITY = "--capacity 1m";
    private static final long START_NS = 1_700_000_000_000_000_000L;
    static final int EVENTS_PER_PRODUCER = 2_000;
    private static final long SPACING_NS = 1_000_000L;
    private static final long JITTER_NS = 40_000_000L;
    private static final long OUT_OF_ORDERNESS_NS = 50_000_000L;
    private static final int KEY_COUNT = 10;
    private static final long WAIT_MS = 150_000;

    private final List<ChildJvm> children = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void destroyChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    /**
     * Skewed keys (key-0 carries half the events), and producer 2 sends only to partition 0 for the first half of its
     * stream: the other partitions learn of its progress from its watermark broadcasts alone.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tumbling:100ms | 2", "tumbling:100ms | 4", "sliding:100ms,25ms | 2", "sliding:100ms,25ms | 4",
        "session:8ms | 2", "session:8ms | 4" })
    void shouldWriteSingleAggregatorWindowsWhenKeysArePartitionedOverParallelAggregators(
        final String window, final int instances) throws Exception
    {
        final List<List<TestEvents.TestEvent>> streams = List.of(
            skewed(1, instances, 0), skewed(2, instances, EVENTS_PER_PRODUCER / 2));
        final Path csv = dir.resolve("results.csv");
        final ChildJvm pipeline = pipeline(
            "ring events = ${dir}/events.seg partitions=" + instances,
            "ring windows = ${dir}/windows.seg",
            "stage sink " + STAGE_JVM + " = sink --ring ${windows} --csv " + csv + " " + CAPACITY,
            "stage agg[" + instances + "] " + STAGE_JVM + " = aggregate --in ${events} --out ${windows} " +
                "--window " + window + " --out-of-orderness 50ms --stage-id ${instance} " + CAPACITY,
            producer(1, streams.get(0), "${events} --partitions " + instances),
            producer(2, streams.get(1), "${events} --partitions ${events.partitions}"));
        pipeline.awaitSuccess(WAIT_MS);

        assertEquals(reference(window, streams), rows(csv), pipeline.logTail());
        final String log = pipeline.log();
        for (int i = 0; i < instances; i++)
        {
            assertTrue(log.contains("[pipeline] started agg[" + i + "]"), log);
        }
        assertTrue(log.contains("late=0 "), log);
    }

    /**
     * Producer 2, paced over 3 s, sends only keys of partition 0: without its watermark broadcasts partition 1's
     * aggregator would emit nothing before producer 2's end of stream (it waits for both producers). Its windows must
     * reach the sink long before that.
     */
    @Test
    void shouldEmitWindowsOfPartitionThatGetsNoEventsFromAProducerWhileThatProducerRuns() throws Exception
    {
        final List<TestEvents.TestEvent> first = skewed(1, 2, 0);
        final List<TestEvents.TestEvent> second = skewed(2, 2, 3_000).subList(0, 3_000);
        final ChildJvm pipeline = pipeline(
            "ring events = ${dir}/events.seg partitions=2",
            "ring windows = ${dir}/windows.seg",
            "stage sink " + STAGE_JVM + " = sink --ring ${windows} " + CAPACITY,
            "stage agg[2] " + STAGE_JVM + " = aggregate --in ${events} --out ${windows} --window tumbling:100ms " +
                "--out-of-orderness 50ms --stage-id ${instance} " + CAPACITY,
            producer(1, first, "${events} --partitions 2 --rate 1000"),
            producer(2, second, "${events} --partitions 2 --rate 1000 --watermark-interval 20ms"));

        final Pattern row = Pattern.compile("^\\[sink] [0-9.]+,[0-9.]+,(key-[0-9]+),", Pattern.MULTILINE);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long partitionOneRowNs = 0;
        long producerTwoDoneNs = 0;
        while ((partitionOneRowNs == 0 || producerTwoDoneNs == 0) && System.nanoTime() < deadlineNs)
        {
            final String log = pipeline.log();
            final Matcher matcher = row.matcher(log);
            while (partitionOneRowNs == 0 && matcher.find())
            {
                if (Partitions.partition(matcher.group(1), 2) == 1)
                {
                    partitionOneRowNs = System.nanoTime();
                }
            }
            if (producerTwoDoneNs == 0 && log.contains("producer 2: published"))
            {
                producerTwoDoneNs = System.nanoTime();
            }
            Thread.sleep(20);
        }
        pipeline.awaitSuccess(WAIT_MS);

        assertTrue(partitionOneRowNs > 0 && producerTwoDoneNs > 0, pipeline.logTail());
        assertTrue(producerTwoDoneNs - partitionOneRowNs > TimeUnit.MILLISECONDS.toNanos(1_000),
            "partition 1 emitted only " + (producerTwoDoneNs - partitionOneRowNs) / 1_000_000 + " ms before " +
            "producer 2 ended:\n" + pipeline.logTail());
    }

    /**
     * A merge with per-input watermarks: one aggregator reads two rings whose producers both call themselves 1. Were
     * their progress mixed, the slower one's events would fall behind the faster one's watermark and be late.
     */
    @Test
    void shouldWindowTwoInputsAsOneStreamWithWatermarksPerInput() throws Exception
    {
        final List<List<TestEvents.TestEvent>> streams = List.of(skewed(1, 1, 0), skewed(2, 1, 0));
        final Path csv = dir.resolve("merged.csv");
        final ChildJvm pipeline = pipeline(
            "ring a = ${dir}/a.seg",
            "ring b = ${dir}/b.seg",
            "ring windows = ${dir}/windows.seg",
            "stage sink " + STAGE_JVM + " = sink --ring ${windows} --csv " + csv + " " + CAPACITY,
            "stage merge " + STAGE_JVM + " = aggregate --in ${a} --in ${b} --out ${windows} --window tumbling:100ms " +
                "--out-of-orderness 50ms " + CAPACITY,
            producerAs(1, streams.get(0), "${a}", 1),
            producerAs(2, streams.get(1), "${b} --rate 4000", 1));
        pipeline.awaitSuccess(WAIT_MS);

        assertEquals(reference("tumbling:100ms", streams), rows(csv), pipeline.logTail());
        assertTrue(pipeline.log().contains("late=0 "), pipeline.logTail());
    }

    @Test
    void shouldStartStageOnTheCpusItsSpecNames() throws Exception
    {
        final String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
            .substring("Cpus_allowed_list:".length()).strip();
        final String[] bounds = allowed.split(",");
        final String lastRange = bounds[bounds.length - 1];
        final String cpu = lastRange.substring(lastRange.indexOf('-') + 1);
        final ChildJvm pipeline = pipeline(
            "ring events = ${dir}/events.seg",
            "stage c cpus=" + cpu + " " + STAGE_JVM + " = consume --ring ${events} " + CAPACITY,
            "stage p " + STAGE_JVM + " = produce --ring ${events} --producer-id 1 --synthetic --count 4000 " +
                "--rate 1000");

        final Pattern started = Pattern.compile("\\[pipeline] started c \\(pid ([0-9]+)\\): taskset -c " + cpu);
        String childAllowed = null;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (null == childAllowed && System.nanoTime() < deadlineNs)
        {
            final Matcher matcher = started.matcher(pipeline.log());
            if (matcher.find())
            {
                for (final String line : Files.readAllLines(Path.of("/proc", matcher.group(1), "status")))
                {
                    if (line.startsWith("Cpus_allowed_list:"))
                    {
                        childAllowed = line.substring("Cpus_allowed_list:".length()).strip();
                    }
                }
            }
            Thread.sleep(20);
        }
        pipeline.awaitSuccess(WAIT_MS);

        assertEquals(cpu, childAllowed, pipeline.logTail());
        assertTrue(pipeline.log().contains("consumed 4,000 events"), pipeline.logTail());
    }

    /**
     * Fan-out: the same events feed a tumbling and a sliding aggregator, each under its own consumer name; each must
     * write exactly its single-pipeline result.
     */
    @Test
    void shouldGiveEachFanOutAggregatorItsSinglePipelineResult() throws Exception
    {
        final List<List<TestEvents.TestEvent>> streams = List.of(skewed(1, 1, 0), skewed(2, 1, 0));
        final Path tumblingCsv = dir.resolve("tumbling.csv");
        final Path slidingCsv = dir.resolve("sliding.csv");
        // A consumer name joins at the oldest record still held: a reader that registered after the other had read
        // (and released) the first records would never see them. The launcher starts the producers of a fan-out ring
        // only once every reader has registered (PipelineGraph.gateFanOut); without that gate this test lost 552 of
        // 4,000 events to the tumbling reader on a fast run.
        final ChildJvm pipeline = pipeline(
            "ring events = ${dir}/events.seg",
            "ring tumbling = ${dir}/tumbling.seg",
            "ring sliding = ${dir}/sliding.seg",
            "stage tsink " + STAGE_JVM + " = sink --ring ${tumbling} --csv " + tumblingCsv + " " + CAPACITY,
            "stage ssink " + STAGE_JVM + " = sink --ring ${sliding} --csv " + slidingCsv + " " + CAPACITY,
            "stage tagg " + STAGE_JVM + " = aggregate --in ${events} --out ${tumbling} --window tumbling:100ms " +
                "--out-of-orderness 50ms --consumer-name tumbling " + CAPACITY,
            "stage sagg " + STAGE_JVM + " = aggregate --in ${events} --out ${sliding} --window sliding:100ms,25ms " +
                "--out-of-orderness 50ms --consumer-name sliding " + CAPACITY,
            producer(1, streams.get(0), "${events}"),
            producer(2, streams.get(1), "${events}"));
        pipeline.awaitSuccess(WAIT_MS);

        assertEquals(reference("tumbling:100ms", streams), rows(tumblingCsv), pipeline.logTail());
        assertEquals(reference("sliding:100ms,25ms", streams), rows(slidingCsv), pipeline.logTail());
        for (final String producer : List.of("p1", "p2"))
        {
            assertTrue(java.util.regex.Pattern.compile("^\\[pipeline] started " + producer + " .*--start-after .*" +
                "--start-after ", java.util.regex.Pattern.MULTILINE).matcher(pipeline.log()).find(), pipeline.log());
        }
    }

    /**
     * The partitioned pipeline with its events carried by Aeron UDP streams on loopback, one stream id per partition
     * (1000 and 1001 on one endpoint), every stage on one standalone media driver ({@code herz driver}, named by the
     * global option {@code --aeron-dir}). Skipped where no {@code aeron:} transport is on the class path.
     */
    @Test
    void shouldPartitionOverAeronUdpStreams() throws Exception
    {
        Assumptions.assumeTrue(isAeronAvailable(),
            "skipped: no aeron: transport on the class path (module ipc-aeron)");
        final Path aeronDir = Path.of("/dev/shm", "herz-test-dag-aeron-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime());
        final ChildJvm driver = ChildJvm.start("driver", HerzCli.class, "--aeron-dir", aeronDir.toString(), "driver");
        children.add(driver);
        try
        {
            awaitLog(driver, "aeron driver running in");
            final int port;
            try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
            {
                port = socket.getLocalPort();
            }
            final String global = "--aeron-dir " + aeronDir + " ";
            final List<List<TestEvents.TestEvent>> streams = List.of(skewed(1, 2, 0), skewed(2, 2, 0));
            final Path csv = dir.resolve("aeron.csv");
            final ChildJvm pipeline = pipeline(
                "ring events = aeron:udp?endpoint=127.0.0.1:" + port + "|stream-id=1000 partitions=2",
                "ring windows = ${dir}/windows.seg",
                "stage sink " + STAGE_JVM + " = sink --ring ${windows} --csv " + csv + " " + CAPACITY,
                "stage agg[2] " + STAGE_JVM + " = " + global + "aggregate --in '${events}' --out ${windows} " +
                    "--window tumbling:100ms --out-of-orderness 50ms --stage-id ${instance} " + CAPACITY,
                producer(1, streams.get(0), "'${events}' --partitions 2").replace("= produce", "= " + global +
                    "produce"),
                producer(2, streams.get(1), "'${events}' --partitions 2").replace("= produce", "= " + global +
                    "produce"));
            pipeline.awaitSuccess(WAIT_MS);

            assertEquals(reference("tumbling:100ms", streams), rows(csv), pipeline.logTail());
        }
        finally
        {
            driver.signal("TERM");
            driver.waitFor(WAIT_MS);
            org.agrona.IoUtil.delete(aeronDir.toFile(), true);
        }
    }

    private static void awaitLog(final ChildJvm child, final String text) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!child.log().contains(text))
        {
            assertTrue(child.process().isAlive() && System.nanoTime() < deadlineNs,
                child + " did not print '" + text + "':\n" + child.logTail());
            Thread.sleep(20);
        }
    }

    private static boolean isAeronAvailable()
    {
        try
        {
            Transports.provider(TransportUri.parse("aeron:ipc"));
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private ChildJvm pipeline(final String... specLines) throws Exception
    {
        final Path spec = dir.resolve("pipeline.spec");
        Files.write(spec, List.of(specLines));
        final ChildJvm child = ChildJvm.start("pipeline", HerzCli.class, "pipeline", "--spec", spec.toString(),
            "--dir", dir.resolve("rings").toString(), "--progress", "0");
        children.add(child);
        return child;
    }

    private String producer(final int producerId, final List<TestEvents.TestEvent> events, final String ring)
        throws Exception
    {
        return producerAs(producerId, events, ring, producerId);
    }

    private String producerAs(
        final int name, final List<TestEvents.TestEvent> events, final String ring, final int producerId)
        throws Exception
    {
        final List<String> lines = new ArrayList<>();
        for (final TestEvents.TestEvent event : events)
        {
            lines.add("{\"ts\":" + event.eventTimeNs() + ",\"key\":\"" + event.key() + "\",\"value\":" +
                event.value() + "}");
        }
        final Path file = dir.resolve("producer-" + name + ".jsonl");
        Files.write(file, lines);
        return "stage p" + name + " " + STAGE_JVM + " = produce --ring " + ring + " --producer-id " + producerId +
            " --json " + file + " --ts-unit ns";
    }

    /**
     * The shared test stream of a producer with its keys skewed: key-0 carries half the events; the first
     * {@code partitionZeroOnly} events use only keys of partition 0 of {@code partitions}.
     */
    static List<TestEvents.TestEvent> skewed(
        final int producerId, final int partitions, final int partitionZeroOnly)
    {
        final List<String> partitionZeroKeys = new ArrayList<>();
        for (int k = 0; k < KEY_COUNT; k++)
        {
            if (Partitions.partition("key-" + k, partitions) == 0)
            {
                partitionZeroKeys.add("key-" + k);
            }
        }
        final Random random = new Random(97L * producerId + partitions);
        final List<TestEvents.TestEvent> events = new ArrayList<>();
        final int count = Math.max(EVENTS_PER_PRODUCER, partitionZeroOnly);
        for (final TestEvents.TestEvent event : TestEvents.generate(
            producerId, 11, count, START_NS, SPACING_NS, JITTER_NS, KEY_COUNT))
        {
            final String key;
            if (events.size() < partitionZeroOnly)
            {
                key = partitionZeroKeys.get(random.nextInt(partitionZeroKeys.size()));
            }
            else
            {
                key = random.nextBoolean() ? "key-0" : "key-" + (1 + random.nextInt(KEY_COUNT - 1));
            }
            events.add(new TestEvents.TestEvent(producerId, event.eventTimeNs(), key, event.value()));
        }
        return events;
    }

    static List<String> reference(final String window, final List<List<TestEvents.TestEvent>> streams)
    {
        final ReferenceWindowing reference = new ReferenceWindowing(
            WindowSpec.parse(window), OUT_OF_ORDERNESS_NS, 0, AggregatorConfig.NO_IDLE_TIMEOUT, streams.size());
        final List<WindowResult> results = new ArrayList<>();
        for (final List<TestEvents.TestEvent> stream : streams)
        {
            for (final TestEvents.TestEvent event : stream)
            {
                results.addAll(reference.onEvent(
                    event.producerId(), event.eventTimeNs(), event.key(), event.value(), 0));
            }
        }
        for (int producerId = 1; producerId <= streams.size(); producerId++)
        {
            results.addAll(reference.onEndOfStream(producerId, 0));
        }
        assertEquals(0, reference.lateEventCount);

        final List<String> rows = new ArrayList<>();
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyTable.MAX_KEY_LENGTH]);
        for (final WindowResult result : results)
        {
            final int keyLength = key.putStringWithoutLengthAscii(0, result.key());
            rows.add(WindowCsv.appendRow(new StringBuilder(), result.startNs(), result.endNs(), key, 0, keyLength,
                result.count(), result.sum(), result.min(), result.max(), result.mean()).toString());
        }
        rows.sort(null);
        assertTrue(rows.size() > 20, "too few windows to mean anything: " + rows.size());
        return rows;
    }

    static List<String> rows(final Path csv) throws Exception
    {
        final List<String> lines = Files.readAllLines(csv);
        assertEquals(WindowCsv.HEADER, lines.get(0));
        final List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        rows.sort(null);
        return rows;
    }
}

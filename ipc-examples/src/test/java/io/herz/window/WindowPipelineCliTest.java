package io.herz.window;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.herz.examples.HerzCli;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four JVMs of the real {@code herz} command line: two {@code herz produce --json} publish JSON-derived events into
 * a ring, {@code herz aggregate} windows them into a second ring, and {@code herz sink --csv} writes CSV. The CSV must hold exactly the rows {@link ReferenceWindowing} computes for the same
 * events. Each producer's disorder stays within the out-of-orderness and the aggregator waits for both producers
 * (--producers 2), so no event is late however the two streams interleave: the set of rows is deterministic, and
 * their order is checked to follow window ends (rows with equal ends may come in any order).
 */
@Timeout(240)
class WindowPipelineCliTest
{
    private static final String CAPACITY = "1048576";
    static final long START_NS = 1_700_000_000_000_000_000L;
    static final int EVENTS_PER_PRODUCER = 2_000;
    static final long SPACING_NS = 1_000_000L;
    static final long JITTER_NS = 40_000_000L;
    private static final long OUT_OF_ORDERNESS_NS = 50_000_000L;
    private static final long WAIT_MS = 120_000;

    private final List<ChildJvm> children = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void destroyChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "tumbling:100ms | 5", "sliding:100ms,25ms | 5", "session:8ms | 40" })
    void shouldWriteReferenceCsvWhenTwoProducersFeedAggregatorAndSink(final String window, final int keyCount)
        throws Exception
    {
        final Path in = dir.resolve("events.ring");
        final Path out = dir.resolve("results.ring");
        final Path csv = dir.resolve("results.csv");

        final ChildJvm sink = herz("sink", "sink", "--ring", out.toString(), "--csv", csv.toString(),
            "--capacity", CAPACITY);
        final ChildJvm aggregator = herz("aggregator", "aggregate",
            "--in", in.toString(), "--out", out.toString(), "--window", window, "--out-of-orderness", "50ms",
            "--allowed-lateness", "0s", "--producers", "2", "--capacity", CAPACITY);
        final ChildJvm producer1 = herz("producer-1", "produce", "--ring", in.toString(), "--producer-id", "1",
            "--json", jsonLines(1, keyCount).toString(), "--ts-unit", "ns");
        final ChildJvm producer2 = herz("producer-2", "produce", "--ring", in.toString(), "--producer-id", "2",
            "--json", jsonLines(2, keyCount).toString(), "--ts-unit", "ns");
        producer1.awaitSuccess(WAIT_MS);
        producer2.awaitSuccess(WAIT_MS);
        aggregator.awaitSuccess(WAIT_MS);
        sink.awaitSuccess(WAIT_MS);

        final List<String> expected = expectedRows(window, keyCount);
        final List<String> lines = Files.readAllLines(csv);
        assertEquals(WindowCsv.HEADER, lines.get(0));
        final List<String> rows = lines.subList(1, lines.size());
        assertInOrderOfWindowEnd(rows);
        final List<String> sortedRows = new ArrayList<>(rows);
        sortedRows.sort(null);
        assertEquals(expected, sortedRows, aggregator.logTail());
        assertTrue(expected.size() > 20, "too few windows to mean anything: " + expected.size());
    }

    private ChildJvm herz(final String name, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, HerzCli.class, args);
        children.add(child);
        return child;
    }

    /** The producer's events as JSON lines, fields in a varying order, time in epoch nanoseconds. */
    private Path jsonLines(final int producerId, final int keyCount) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        for (final TestEvents.TestEvent event : TestEvents.generate(
            producerId, 7, EVENTS_PER_PRODUCER, START_NS, SPACING_NS, JITTER_NS, keyCount))
        {
            final String ts = "\"ts\":" + event.eventTimeNs();
            final String key = "\"key\":\"" + event.key() + "\"";
            final String value = "\"value\":" + event.value();
            lines.add(lines.size() % 2 == 0 ? "{" + ts + "," + key + "," + value + ",\"host\":\"h1\"}" :
                "{" + value + ",\"extra\":[1,2,{\"x\":null}]," + key + "," + ts + "}");
        }
        final Path file = dir.resolve("producer-" + producerId + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    static List<String> expectedRows(final String window, final int keyCount)
    {
        final ReferenceWindowing reference = new ReferenceWindowing(
            WindowSpec.parse(window), OUT_OF_ORDERNESS_NS, 0, AggregatorConfig.NO_IDLE_TIMEOUT, 2);
        final List<WindowResult> results = new ArrayList<>();
        for (int producerId = 1; producerId <= 2; producerId++)
        {
            for (final TestEvents.TestEvent event : TestEvents.generate(
                producerId, 7, EVENTS_PER_PRODUCER, START_NS, SPACING_NS, JITTER_NS, keyCount))
            {
                results.addAll(reference.onEvent(producerId, event.eventTimeNs(), event.key(), event.value(), 0));
            }
        }
        results.addAll(reference.onEndOfStream(1, 0));
        results.addAll(reference.onEndOfStream(2, 0));
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
        return rows;
    }

    static void assertInOrderOfWindowEnd(final List<String> rows)
    {
        BigDecimal previousEndMs = null;
        for (final String row : rows)
        {
            final BigDecimal endMs = new BigDecimal(row.split(",")[1]);
            assertTrue(null == previousEndMs || endMs.compareTo(previousEndMs) >= 0,
                "rows out of order of window end at: " + row);
            previousEndMs = endMs;
        }
    }
}

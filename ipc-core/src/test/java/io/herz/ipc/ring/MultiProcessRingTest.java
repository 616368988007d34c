package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three producer JVMs and one consumer JVM, real separate processes, exchange 10.2 million records through one
 * segment. The consumer JVM checks loss, duplicates, per-producer order, lengths and checksums (guarantees 1 to 4),
 * and that aborted claims are never delivered; this test checks exit codes and the numbers each JVM reports.
 * Logs stay in {@code target/child-logs}; the segment stays in the temporary directory when the test fails.
 */
@Timeout(240)
class MultiProcessRingTest
{
    private static final int PRODUCERS = 3;
    private static final long RECORDS_PER_PRODUCER = 3_400_000;
    private static final int CAPACITY = 256 * 1024;
    private static final int SPREAD = 113;
    private static final long CHILD_TIMEOUT_MS = 180_000;
    /** One Agrona idle strategy per producer JVM, so each is exercised on back-pressure. */
    private static final String[] IDLE = { "backoff", "yielding", "sleeping" };
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(-?\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void destroyChildren()
    {
        for (final ChildJvm child : children)
        {
            child.destroyForcibly();
        }
    }

    @Test
    void shouldDeliverEveryRecordOfThreeProducerProcessesExactlyOnceInOrder() throws Exception
    {
        final Path segment = dir.resolve("multi-process.seg");
        final ChildJvm consumer = start("mp-consumer", MultiProcessConsumerMain.class,
            segment.toString(), Integer.toString(CAPACITY), Integer.toString(PRODUCERS),
            Long.toString(RECORDS_PER_PRODUCER), Long.toString(CHILD_TIMEOUT_MS), Integer.toString(SPREAD));
        final List<ChildJvm> producers = new ArrayList<>();
        for (int id = 0; id < PRODUCERS; id++)
        {
            producers.add(start("mp-producer-" + id, MultiProcessProducerMain.class,
                segment.toString(), Integer.toString(id), Long.toString(RECORDS_PER_PRODUCER),
                Long.toString(CHILD_TIMEOUT_MS), Integer.toString(SPREAD), IDLE[id]));
        }

        for (final ChildJvm producer : producers)
        {
            producer.awaitSuccess(CHILD_TIMEOUT_MS + 20_000);
        }
        consumer.awaitSuccess(30_000);

        final long expectedAborted = (RECORDS_PER_PRODUCER - 5 + MultiProcessProducerMain.ABORT_PERIOD - 1) /
            MultiProcessProducerMain.ABORT_PERIOD;
        for (int id = 0; id < PRODUCERS; id++)
        {
            final Map<String, Long> report = report(producers.get(id), "PRODUCER");
            assertEquals(id, report.get("id"));
            assertEquals(RECORDS_PER_PRODUCER, report.get("records"), "records of producer " + id);
            assertEquals(expectedAborted, report.get("aborted"), "aborted claims of producer " + id);
        }

        final long expected = PRODUCERS * RECORDS_PER_PRODUCER;
        final long maxLengthPerProducer = RECORDS_PER_PRODUCER / TestRecords.MAX_LENGTH_PERIOD;
        final Map<String, Long> summary = report(consumer, "SUMMARY");
        assertEquals(PRODUCERS, summary.get("producers"));
        assertEquals(expected, summary.get("expected"));
        assertEquals(expected, summary.get("delivered"));
        assertEquals(expected, summary.get("distinct"));
        assertEquals(0, summary.get("lost"));
        assertEquals(0, summary.get("duplicates"));
        assertEquals(0, summary.get("outOfOrder"));
        assertEquals(0, summary.get("badChecksum"));
        assertEquals(0, summary.get("badLength"));
        assertEquals(0, summary.get("badProducer"));
        assertEquals(0, summary.get("abortedDelivered"));
        assertEquals(0, summary.get("unknownType"));
        assertEquals(0, summary.get("unblocked"));
        assertEquals(0, summary.get("lag"));
        assertEquals(PRODUCERS * maxLengthPerProducer, summary.get("maxLengthRecords"));
        assertTrue(expected >= 10_000_000, "at least ten million records");
        assertTrue(summary.get("payloadBytes") > 1000L * CAPACITY, "the ring wrapped at least 1000 times");
        assertTrue(summary.get("producerSwitches") > 100, "the producers' records interleave in the ring");
        assertSegmentAfterwards(segment, expected, summary.get("payloadBytes"));
    }

    /** What the children left in the segment, read by a third process: counters agree, every slot is free. */
    private static void assertSegmentAfterwards(final Path file, final long expected, final long payloadBytes)
    {
        try (Segment segment = Segment.open(file, new SegmentConfig().openTimeoutMs(0)))
        {
            final AtomicBuffer header = segment.buffer();
            final int consumer = SegmentDescriptor.consumerSlotOffset(0);
            assertEquals(expected, header.getLongAcquire(consumer + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET));
            assertEquals(header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET),
                header.getLongAcquire(consumer + ConsumerSlotDescriptor.POSITION_OFFSET), "head caught up with the tail");
            assertEquals(0, header.getLongAcquire(consumer + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET),
                "consumer slot freed");
            long recordsOffered = 0;
            long bytesOffered = 0;
            for (int slot = 0; slot < segment.producerSlotCount(); slot++)
            {
                final int offset = SegmentDescriptor.producerSlotOffset(slot);
                assertEquals(0, header.getLongAcquire(offset + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET),
                    "producer slot " + slot + " freed");
                recordsOffered += header.getLongAcquire(offset + ProducerSlotDescriptor.RECORDS_OFFERED_OFFSET);
                bytesOffered += header.getLongAcquire(offset + ProducerSlotDescriptor.BYTES_OFFERED_OFFSET);
            }
            assertEquals(expected, recordsOffered, "records offered, summed over the producer slots");
            assertEquals(payloadBytes, bytesOffered, "payload bytes offered, summed over the producer slots");
        }
    }

    private ChildJvm start(final String name, final Class<?> main, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, main, args);
        children.add(child);
        return child;
    }

    private static Map<String, Long> report(final ChildJvm child, final String prefix) throws Exception
    {
        for (final String line : child.log().split("\n"))
        {
            if (line.startsWith(prefix + " "))
            {
                final Map<String, Long> fields = new HashMap<>();
                final Matcher matcher = FIELD.matcher(line);
                while (matcher.find())
                {
                    fields.put(matcher.group(1), Long.parseLong(matcher.group(2)));
                }
                System.out.println(child + ": " + line);
                return fields;
            }
        }
        throw new AssertionError("no " + prefix + " line in the output of " + child + ":\n" + child.logTail());
    }
}

package io.herz.window;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.herz.codec.EventDispatcher;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WindowKind;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.shm.ShmBatchPublication;
import io.herz.ipc.transport.shm.ShmSubscription;
import io.herz.window.stage.WindowCsvSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WindowCsvSink} over a real mapped ring: WindowResults published in batch claims as the stage publishes them,
 * polled in batches and decoded in place; the CSV must be the text of {@link WindowCsv#appendRow} for every result.
 */
@Timeout(60)
class WindowCsvSinkTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheRowsOfWindowCsvWhenResultsComeThroughARing()
    {
        final SplittableRandom random = new SplittableRandom(3);
        final StringBuilder expected = new StringBuilder(WindowCsv.HEADER).append('\n');
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CsvRowWriter writer = new CsvRowWriter(out, "memory", 1 << 12);
        writer.header();
        final WindowCsvSink sink = new WindowCsvSink(writer);
        final EventDispatcher dispatcher = new EventDispatcher(sink);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyTable.MAX_KEY_LENGTH]);
        final String alphabet = "sensor-0123456789,\"";

        try (Segment segment = Segment.create(dir.resolve("results.ring"), new SegmentConfig().capacity(64 * 1024));
            ShmBatchPublication publication = new ShmBatchPublication("results", new RingProducer(segment, 2), 1024);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final EventPublisher publisher = new EventPublisher(publication, 2);
            final ShmSubscription subscription = new ShmSubscription(consumer);
            for (int batch = 0; batch < 20; batch++)
            {
                for (int i = 0; i < 100; i++)
                {
                    final int keyLength = 1 + random.nextInt(KeyTable.MAX_KEY_LENGTH);
                    for (int k = 0; k < keyLength; k++)
                    {
                        key.putByte(k, (byte)alphabet.charAt(random.nextInt(random.nextInt(8) == 0 ?
                            alphabet.length() : alphabet.length() - 2)));
                    }
                    final long startNs = 1_700_000_000_000_000_000L + random.nextLong(1L << 40);
                    final long endNs = startNs + 1_000_000_000L;
                    final long count = 1 + random.nextInt(5);
                    final double sum = random.nextInt(1_000_000) / 100.0 * (random.nextBoolean() ? 1 : -1);
                    final double min = i % 3 == 0 ? Double.longBitsToDouble(random.nextLong()) : sum / 3;
                    final double max = random.nextDouble() * 1e18;
                    final double mean = sum / count;
                    final int offset = publisher.publishWindowResult(startNs, endNs, key, 0, keyLength, count, sum,
                        min, max, mean, WindowKind.TUMBLING, ResultKind.FINAL);
                    assertTrue(offset >= 0, "published, found " + offset);
                    WindowCsv.appendRow(expected, startNs, endNs, key, 0, keyLength, count, sum, min, max, mean)
                        .append('\n');
                }
                publisher.flush();
                int polls = 0;
                while (sink.resultCount() < (batch + 1) * 100L && polls++ < 10)
                {
                    subscription.poll(dispatcher, 4096);
                }
            }
        }
        writer.flush();

        assertEquals(2000, sink.resultCount());
        assertEquals(0, dispatcher.rejectedCount());
        final String[] expectedLines = new String(expected.toString().getBytes(StandardCharsets.US_ASCII),
            StandardCharsets.US_ASCII).split("\n", -1);
        final String[] actualLines = out.toString(StandardCharsets.US_ASCII).split("\n", -1);
        assertEquals(expectedLines.length, actualLines.length);
        for (int i = 0; i < expectedLines.length; i++)
        {
            assertEquals(expectedLines[i], actualLines[i], "line " + (i + 1));
        }
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class RingSmokeTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryRecordOfTwoThreadsInOrderPerProducer() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("smoke.seg"), new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment))
        {
            final int perProducer = 200_000;
            final Thread[] threads = new Thread[2];
            for (int p = 0; p < threads.length; p++)
            {
                final int id = p;
                threads[p] = new Thread(() ->
                {
                    try (RingProducer producer = new RingProducer(segment, id))
                    {
                        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
                        for (long seq = 0; seq < perProducer; )
                        {
                            src.putLong(0, seq);
                            if (producer.offer(1 + id, src, 0, 8 + (int)(seq % 50)))
                            {
                                seq++;
                            }
                        }
                    }
                });
                threads[p].start();
            }
            final long[] next = new long[2];
            final AtomicLong total = new AtomicLong();
            while (total.get() < 2L * perProducer)
            {
                consumer.read((type, buffer, offset, length) ->
                {
                    final int id = type - 1;
                    assertEquals(next[id], buffer.getLong(offset));
                    assertEquals(8 + next[id] % 50, length);
                    next[id]++;
                    total.incrementAndGet();
                }, 100);
            }
            for (final Thread t : threads)
            {
                t.join();
            }
            assertEquals(perProducer, next[0]);
            assertEquals(perProducer, next[1]);
        }
    }
}

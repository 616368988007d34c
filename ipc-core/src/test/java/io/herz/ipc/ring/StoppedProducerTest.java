package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantee 7, the other half: a live producer that is merely stopped (SIGSTOP) while it holds a claim is never
 * unblocked, even when it stays stopped for much longer than the unidentified-stall timeout.
 */
@Timeout(60)
class StoppedProducerTest
{
    private static final long STALL_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int COUNT = 50_000;
    private static final int HOLD_AT = 10_000;

    @TempDir
    Path dir;

    private ChildJvm producer;

    @AfterEach
    void killChild()
    {
        if (producer != null)
        {
            producer.destroyForcibly();
        }
    }

    @Test
    void shouldNeverUnblockStoppedProducerWhenStoppedLongerThanTimeout() throws Exception
    {
        final Path ring = dir.resolve("stopped.seg");
        final Path go = dir.resolve("go");
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment, STALL_TIMEOUT_NS, SystemNanoClock.INSTANCE))
        {
            producer = ChildJvm.start("stopped-producer", LivenessChild.class, "hold", ring.toString(), "5",
                Integer.toString(COUNT), Integer.toString(HOLD_AT), go.toString());
            final long[] next = new long[1];
            final org.agrona.concurrent.MessageHandler handler = (type, buffer, index, length) ->
            {
                assertEquals(5, buffer.getInt(index));
                assertEquals(next[0], buffer.getLong(index + 8), "sequence");
                next[0]++;
            };
            Await.await(() ->
            {
                consumer.read(handler, 256);
                return producer.logTail().contains("HOLDING");
            }, 30_000, () -> "the producer to hold its claim: " + producer.logTail());

            producer.signal("STOP");
            final long stoppedUntil = System.nanoTime() + 10 * STALL_TIMEOUT_NS;
            while (System.nanoTime() - stoppedUntil < 0)
            {
                consumer.read(handler, 256);
            }
            assertEquals(HOLD_AT, next[0], "everything before the held claim arrives, nothing after it");
            assertEquals(0, consumer.unblockedRecords(), "a stopped producer's claim must not be unblocked");

            Files.createFile(go);
            producer.signal("CONT");
            Await.await(() ->
            {
                consumer.read(handler, 256);
                return next[0] == COUNT;
            }, 30_000, () -> "all records after SIGCONT, have " + next[0]);
            producer.awaitSuccess(10_000);

            assertEquals(COUNT, next[0]);
            assertEquals(0, consumer.unblockedRecords());
            assertTrue(consumer.lag() == 0, "ring drained");
        }
    }
}

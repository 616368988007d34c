package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.transport.shm.ShmPublication;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer's heartbeat goes by time, not by count: on a controllable clock, a paced producer's heartbeat age right
 * after each record stays within {@link RingProducer#HEARTBEAT_INTERVAL_MS} plus the pacing margin (before: one
 * heartbeat per 4096 records, 41 s at 100 records/s), and an idle producer heartbeats through its publication's
 * {@code keepAlive()}.
 */
class RingProducerHeartbeatTest
{
    /** The bound after a record of a producer with a steady rate: the interval plus a quarter of it. */
    private static final long BOUND_MS = RingProducer.HEARTBEAT_INTERVAL_MS + RingProducer.HEARTBEAT_INTERVAL_MS / 4;
    private static final long START_MS = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[64]);

    private RingProducer producer(final Segment segment)
    {
        clock.update(START_MS);
        return new RingProducer(segment, 7, false, segment.buffer(), segment.dataBuffer(), clock);
    }

    private static long heartbeatMs(final Segment segment, final RingProducer producer)
    {
        return segment.buffer().getLongAcquire(
            SegmentDescriptor.producerSlotOffset(producer.slotIndex()) + ProducerSlotDescriptor.HEARTBEAT_OFFSET);
    }

    /** Offer {@code records} at one per {@code gapMs} and return the largest heartbeat age seen after a record. */
    private long pacedRun(final Segment segment, final RingConsumer consumer, final RingProducer producer,
        final int records, final long gapMs)
    {
        long worstAgeMs = 0;
        for (int i = 0; i < records; i++)
        {
            clock.advance(gapMs);
            source.putLong(0, i);
            assertTrue(producer.offer(1, source, 0, 8), "offer " + i + " back-pressured on a drained ring");
            worstAgeMs = Math.max(worstAgeMs, Math.abs(clock.time() - heartbeatMs(segment, producer)));
            consumer.read((type, buffer, offset, length) -> { }, 100);
        }
        return worstAgeMs;
    }

    @Test
    void pacedProducerKeepsItsHeartbeatWithinTheBound() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("paced.seg"), new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment);
            RingProducer producer = producer(segment))
        {
            // 100 records/s for 100 s: one heartbeat per 4096 records was 41 s old before the next.
            assertTrue(pacedRun(segment, consumer, producer, 10_000, 10) <= BOUND_MS, "age at 100 records/s");
            // 1 record/s: every record finds a heartbeat due.
            assertEquals(0, pacedRun(segment, consumer, producer, 200, 1000), "age at 1 record/s");
            // 300 records/s (64 records in 192 ms: a fast producer that reads the clock every 64th record only).
            assertTrue(pacedRun(segment, consumer, producer, 10_000, 3) <= BOUND_MS, "age at 300 records/s");
            // Flat out (no time passes between records) after a pause: a heartbeat within 64 records of being due.
            clock.advance(5 * RingProducer.HEARTBEAT_INTERVAL_MS);
            pacedRun(segment, consumer, producer, 64, 0);
            assertEquals(0, clock.time() - heartbeatMs(segment, producer), "flat out after a pause");
        }
    }

    @Test
    void wallClockSteppedBackDoesNotStopHeartbeats() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("step.seg"), new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment);
            RingProducer producer = producer(segment))
        {
            pacedRun(segment, consumer, producer, 1000, 10);
            clock.advance(-3_600_000); // an NTP step back by an hour
            assertTrue(pacedRun(segment, consumer, producer, 1000, 10) <= BOUND_MS, "paced after the step");
            clock.advance(-3_600_000);
            assertTrue(producer.heartbeatIfDue(), "idle after the step");
            assertEquals(clock.time(), heartbeatMs(segment, producer));
        }
    }

    @Test
    void batchesPastAMultipleOf64CheckTheClock() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("batch.seg"), new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment);
            RingProducer producer = producer(segment))
        {
            for (int batch = 0; batch < 200; batch++)
            {
                clock.advance(100); // 10 batches of 10 records a second: 100 records/s
                assertTrue(producer.tryClaimBatch(10 * 64) >= 0);
                for (int r = 0; r < 10; r++)
                {
                    assertTrue(producer.append(1, 8) >= 0);
                }
                assertTrue(producer.commitBatch());
                assertTrue(clock.time() - heartbeatMs(segment, producer) <= BOUND_MS, "batch " + batch);
                consumer.read((type, buffer, offset, length) -> { }, 100);
            }
        }
    }

    @Test
    void idleProducerHeartbeatsThroughKeepAlive() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("idle.seg"), new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment))
        {
            final RingProducer producer = producer(segment);
            final ShmPublication publication = new ShmPublication(producer);
            // A burst, then nothing for a minute: the duty cycle idles and calls keepAlive every 10 ms.
            pacedRun(segment, consumer, producer, 1000, 0);
            int stores = 0;
            for (int i = 0; i < 6000; i++)
            {
                clock.advance(10);
                final long before = heartbeatMs(segment, producer);
                publication.keepAlive();
                stores += heartbeatMs(segment, producer) != before ? 1 : 0;
                assertTrue(clock.time() - heartbeatMs(segment, producer) < RingProducer.HEARTBEAT_INTERVAL_MS,
                    "idle age after " + (i + 1) * 10 + " ms");
            }
            assertEquals(60, stores, "one heartbeat store per interval, not per keepAlive");
            assertFalse(producer.heartbeatIfDue(), "just stored one");
            publication.close();
            clock.advance(10 * RingProducer.HEARTBEAT_INTERVAL_MS);
            publication.keepAlive(); // closed: ignored, never touches the unmapped segment
            assertFalse(producer.heartbeatIfDue());
        }
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.LivenessChild.HALT_STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantee 7: a producer process that dies holding a claim cannot wedge the ring, and is detected by pid and
 * start time, far sooner than the fallback timeout (set to a minute here, so only identification can pass).
 */
@Timeout(120)
class DeadProducerTest
{
    private static final long FALLBACK_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int PER_PRODUCER = 100_000;
    private static final int COMMITTED_BEFORE_HALT = 1_000;

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldUnblockRecordOfProducerThatHaltedAfterClaim() throws Exception
    {
        final long unblocked = runWithHaltingProducer("halt-claimed");

        assertEquals(1, unblocked);
    }

    @Test
    void shouldUnblockRecordOfProducerThatHaltedRightAfterItsClaim() throws Exception
    {
        final long unblocked = runWithHaltingProducer("halt-cas");

        assertEquals(1, unblocked);
    }

    @Test
    void shouldNotStallWhenProducerHaltedBetweenIntentAndClaim() throws Exception
    {
        final long unblocked = runWithHaltingProducer("halt-intent");

        assertEquals(0, unblocked);
    }

    /**
     * Two live producer JVMs and one that halts; the consumer (this JVM) must receive every committed record of
     * all three in per-producer order, within a few seconds of the halt.
     */
    private long runWithHaltingProducer(final String mode) throws Exception
    {
        final Path ring = dir.resolve("dead.seg");
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment, FALLBACK_TIMEOUT_NS, SystemNanoClock.INSTANCE))
        {
            final ChildJvm halting = start("halting-" + mode, mode, ring, 9, COMMITTED_BEFORE_HALT);
            final ChildJvm first = start("producer-1", "produce", ring, 1, PER_PRODUCER);
            final ChildJvm second = start("producer-2", "produce", ring, 2, PER_PRODUCER);

            final long[] next = new long[10];
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long haltSeenNs = 0;
            while (next[1] < PER_PRODUCER || next[2] < PER_PRODUCER || next[9] < COMMITTED_BEFORE_HALT)
            {
                consumer.read((type, buffer, index, length) ->
                {
                    final int id = buffer.getInt(index);
                    final long seq = buffer.getLong(index + 8);
                    assertEquals(next[id], seq, () -> "producer " + id + " sequence");
                    next[id]++;
                }, 256);
                if (haltSeenNs == 0 && !halting.process().isAlive())
                {
                    haltSeenNs = System.nanoTime();
                }
                assertTrue(System.nanoTime() - deadline < 0, () -> "timed out: received " + next[1] + ", " + next[2] +
                    ", " + next[9] + " unblocked=" + consumer.unblockedRecords());
            }

            // Everything committed is delivered; the dead claim may still be ahead if the live producers finished
            // before the halting one claimed (JVM start order on a loaded machine). Read until the ring is drained:
            // the dead claim must be unblocked (turned into padding and passed) whatever the order.
            final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (consumer.position() != segment.buffer().getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET))
            {
                assertEquals(0, consumer.read((type, buffer, index, length) -> next[0]++, 256), "nothing more");
                assertTrue(System.nanoTime() - drainDeadline < 0, () -> "ring not drained: position " +
                    consumer.position() + " unblocked=" + consumer.unblockedRecords());
            }
            assertEquals(HALT_STATUS, halting.waitFor(10_000), halting::logTail);
            first.awaitSuccess(30_000);
            second.awaitSuccess(30_000);
            if (haltSeenNs != 0)
            {
                final long afterHaltMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - haltSeenNs);
                assertTrue(afterHaltMs < 10_000, "delivered everything " + afterHaltMs + " ms after the halt");
            }
            assertEquals(PER_PRODUCER, next[1]);
            assertEquals(PER_PRODUCER, next[2]);
            assertEquals(COMMITTED_BEFORE_HALT, next[9]);
            return consumer.unblockedRecords();
        }
    }

    private ChildJvm start(final String name, final String mode, final Path ring, final int id, final long count)
        throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, LivenessChild.class, mode, ring.toString(), Integer.toString(id),
            Long.toString(count));
        children.add(child);
        return child;
    }
}

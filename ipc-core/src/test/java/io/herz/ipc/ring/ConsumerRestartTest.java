package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.herz.ipc.ring.LivenessChild.REFUSED_STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantee 8: the consumer position lives in the segment. Consumers are killed with SIGKILL at random moments
 * while three producer JVMs publish; each new consumer resumes where the last stopped. The consumers keep a
 * per-producer checkpoint in a mapped file (which survives SIGKILL), so together they prove the delivery rule:
 * no record is lost, order per producer holds, and only records of an in-flight batch (at most LIMIT per kill) are
 * delivered twice.
 */
@Timeout(180)
class ConsumerRestartTest
{
    private static final int PRODUCERS = 3;
    private static final int PER_PRODUCER = 2_000_000;
    private static final int LIMIT = 64;
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldDeliverEveryRecordWhenConsumerIsKilledRepeatedly() throws Exception
    {
        final Path ring = dir.resolve("restart.seg");
        final Path checkpoint = dir.resolve("checkpoint");
        Segment.create(ring, new SegmentConfig().capacity(256 * 1024)).close();
        for (int p = 0; p < PRODUCERS; p++)
        {
            children.add(ChildJvm.start("producer-" + p, LivenessChild.class, "produce", ring.toString(),
                Integer.toString(p), Integer.toString(PER_PRODUCER)));
        }

        final MappedByteBuffer mapped = IoUtil.mapNewFile(checkpoint.toFile(), 4096);
        final UnsafeBuffer state = new UnsafeBuffer(mapped);
        for (int p = 0; p < PRODUCERS; p++)
        {
            state.putLongVolatile(8 * p, -1);
        }

        final Random random = new Random(42);
        final long total = (long)PRODUCERS * PER_PRODUCER;
        ChildJvm consumer = startConsumer(ring, checkpoint, 0);
        for (int kill = 1; kill <= KILLS; kill++)
        {
            final ChildJvm current = consumer;
            Await.await(() -> current.logTail().contains("CONSUMING"), 30_000, () -> "consumer start: " +
                current.logTail());
            if (kill == 1)
            {
                assertSecondConsumerIsRefused(ring, current);
            }
            // Kill after a random share of what is left, judged by the consumers' own checkpoint: every consumer
            // dies mid-stream, while the producers still publish.
            final long start = progress(state);
            final long threshold = start + (long)((total - start) / (KILLS + 2 - kill) * (0.2 + 0.6 * random.nextDouble()));
            Await.await(() -> progress(state) >= threshold || !current.process().isAlive(), 60_000,
                () -> "consumer progress " + progress(state) + " to reach " + threshold + ": " + current.logTail());
            assertTrue(current.process().isAlive(), () -> "consumer ended before kill: " + current.logTail());
            current.process().destroyForcibly().waitFor();
            consumer = startConsumer(ring, checkpoint, kill);
        }
        consumer.awaitSuccess(120_000);
        for (final ChildJvm child : children.subList(0, PRODUCERS))
        {
            child.awaitSuccess(30_000);
        }

        try
        {
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(PER_PRODUCER - 1, state.getLongVolatile(8 * p), "last sequence of producer " + p);
            }
            final long redeliveries = state.getLongVolatile(8 * PRODUCERS);
            assertTrue(redeliveries <= (long)KILLS * LIMIT, "redeliveries " + redeliveries + " exceed the in-flight " +
                "batches of " + KILLS + " kills");
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
        assertTrue(consumer.log().contains("DONE"), consumer::logTail);
    }

    private static long progress(final UnsafeBuffer state)
    {
        long sum = 0;
        for (int p = 0; p < PRODUCERS; p++)
        {
            sum += state.getLongVolatile(8 * p) + 1;
        }
        return sum;
    }

    private void assertSecondConsumerIsRefused(final Path ring, final ChildJvm holder)
        throws Exception
    {
        final ChildJvm second = ChildJvm.start("second-consumer", LivenessChild.class, "consume", ring.toString(),
            dir.resolve("unused-checkpoint").toString(), Integer.toString(PRODUCERS), Integer.toString(PER_PRODUCER),
            Integer.toString(LIMIT));
        children.add(second);

        assertEquals(REFUSED_STATUS, second.waitFor(30_000), second::logTail);
        assertTrue(second.log().contains("REFUSED " + ring.toAbsolutePath() +
            ": consumer default already has a live process: expected none, found pid=" + holder.pid()), second::logTail);
    }

    private ChildJvm startConsumer(final Path ring, final Path checkpoint, final int generation) throws Exception
    {
        final ChildJvm consumer = ChildJvm.start("consumer-" + generation, LivenessChild.class, "consume",
            ring.toString(), checkpoint.toString(), Integer.toString(PRODUCERS), Integer.toString(PER_PRODUCER),
            Integer.toString(LIMIT));
        children.add(consumer);
        return consumer;
    }
}

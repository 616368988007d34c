package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan-out (guarantee 9) between real JVMs: three producer JVMs and two consumer JVMs of different names on one ring;
 * each consumer checks every record of every producer in order against a crash-proof checkpoint file (see
 * {@link LivenessChild}). One consumer is SIGKILLed mid-stream and restarted while the other keeps reading; a
 * consumer name that is removed while producers are back-pressured on it unblocks them.
 * <p>
 * {@link #soakEveryRecordToTwoConsumerProcessesExactlyOnce} (JUnit tag {@code soak}, excluded by default) is the
 * long run of the same shape without the kill: {@code herz.fanout.records} records in all, a multiple of 3 (default
 * 10,000,002: 3 x 3,333,334), and both consumers must end with every record of every producer exactly once (no
 * loss, no redelivery). Run:
 * {@code mvn -B -pl ipc-core -am test -Dtest='FanOutMultiProcessTest#soak*' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dherz.test.excludedGroups= -Dherz.jcstress.skip=true [-Dherz.fanout.records=10000002]}; it prints the time and
 * rate and writes them to {@code target/fanout/}.
 */
@Timeout(180)
class FanOutMultiProcessTest
{
    private static final int PRODUCERS = 3;
    private static final int PER_PRODUCER = 600_000;
    private static final int LIMIT = 64;

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private final List<MappedByteBuffer> mappings = new ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        children.forEach(ChildJvm::destroyForcibly);
        mappings.forEach(IoUtil::unmap);
    }

    @Test
    void shouldDeliverEveryRecordToTwoConsumerProcessesWhileOneIsKilledAndRestarted() throws Exception
    {
        final Path ring = dir.resolve("fan-out.seg");
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(128 * 1024)))
        {
            // Both names exist before any record: each sees every record.
            new RingConsumer(segment, "a", RingConsumers.StartPosition.OLDEST).close();
            new RingConsumer(segment, "b", RingConsumers.StartPosition.OLDEST).close();
        }
        final UnsafeBuffer stateA = checkpoint("checkpoint-a");
        final UnsafeBuffer stateB = checkpoint("checkpoint-b");
        for (int p = 0; p < PRODUCERS; p++)
        {
            children.add(ChildJvm.start("fan-producer-" + p, LivenessChild.class, "produce", ring.toString(),
                Integer.toString(p), Integer.toString(PER_PRODUCER)));
        }
        final ChildJvm a = consumer(ring, "a", 0);
        ChildJvm b = consumer(ring, "b", 0);
        final long total = (long)PRODUCERS * PER_PRODUCER;

        final ChildJvm first = b;
        Await.await(() -> progress(stateB) >= total / 3 || !first.process().isAlive(), 60_000,
            () -> "consumer b progress " + progress(stateB) + ": " + first.logTail());
        assertTrue(first.process().isAlive(), first::logTail);
        first.process().destroyForcibly().waitFor();
        final long atKill = progress(stateB);
        final long aAtKill = progress(stateA);
        b = consumer(ring, "b", 1);

        a.awaitSuccess(120_000);
        b.awaitSuccess(120_000);
        for (final ChildJvm producer : children.subList(0, PRODUCERS))
        {
            producer.awaitSuccess(30_000);
        }
        for (int p = 0; p < PRODUCERS; p++)
        {
            assertEquals(PER_PRODUCER - 1, stateA.getLongVolatile(8 * p), "consumer a, last sequence of producer " + p);
            assertEquals(PER_PRODUCER - 1, stateB.getLongVolatile(8 * p), "consumer b, last sequence of producer " + p);
        }
        assertEquals(0, stateA.getLongVolatile(8 * PRODUCERS), "consumer a was never restarted: exactly once");
        assertTrue(stateB.getLongVolatile(8 * PRODUCERS) <= LIMIT, "consumer b: at most the batch in flight again");
        assertTrue(atKill < total, "b was killed mid-stream: " + atKill);
        assertTrue(aAtKill < total, "a was still reading when b was killed: " + aAtKill);
        assertTrue(a.log().contains("DONE") && b.log().contains("DONE"), b::logTail);
    }

    @Test
    void shouldUnblockBackPressuredProducersWhenTheConsumerHoldingThemIsRemoved() throws Exception
    {
        final Path ring = dir.resolve("remove.seg");
        final int perProducer = 100_000; // 32 bytes each: far more than the 64 KiB ring holds
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(64 * 1024)))
        {
            new RingConsumer(segment, "live", RingConsumers.StartPosition.OLDEST).close();
            new RingConsumer(segment, "gone", RingConsumers.StartPosition.OLDEST).close(); // never reads
            final UnsafeBuffer state = checkpoint("checkpoint-live");
            for (int p = 0; p < 2; p++)
            {
                children.add(ChildJvm.start("held-producer-" + p, LivenessChild.class, "produce", ring.toString(),
                    Integer.toString(p), Integer.toString(perProducer)));
            }
            final ChildJvm live = ChildJvm.start("live-consumer", LivenessChild.class, "consume", ring.toString(),
                dir.resolve("checkpoint-live").toString(), "2", Integer.toString(perProducer), Integer.toString(LIMIT),
                "live");
            children.add(live);

            // The producers fill the ring and stay back-pressured on "gone": the live consumer stops progressing.
            Await.await(() -> progress(state, 2) > 0, 60_000, live::logTail);
            long before;
            long after = progress(state, 2);
            do
            {
                before = after;
                Thread.sleep(300);
                after = progress(state, 2);
            }
            while (after != before);
            assertTrue(after < 2L * perProducer, "held back: " + after);
            assertTrue(children.get(0).process().isAlive() && children.get(1).process().isAlive());

            assertTrue(RingConsumers.remove(segment, "gone"));

            live.awaitSuccess(60_000);
            children.get(0).awaitSuccess(30_000);
            children.get(1).awaitSuccess(30_000);
            assertEquals(perProducer - 1, state.getLongVolatile(0));
            assertEquals(perProducer - 1, state.getLongVolatile(8));
            assertFalse(RingConsumers.list(segment).stream().anyMatch(c -> c.name().equals("gone")));
        }
    }

    @Test
    @Tag("soak")
    @Timeout(3600)
    void soakEveryRecordToTwoConsumerProcessesExactlyOnce() throws Exception
    {
        final long records = Long.getLong("herz.fanout.records", 10_000_002L);
        if (records < PRODUCERS || records % PRODUCERS != 0)
        {
            throw new IllegalArgumentException("herz.fanout.records: expected a positive multiple of " + PRODUCERS +
                " (records in all, split over " + PRODUCERS + " producers), found " + records);
        }
        final long perProducer = records / PRODUCERS;
        final Path ring = dir.resolve("fan-out-soak.seg");
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(128 * 1024)))
        {
            new RingConsumer(segment, "a", RingConsumers.StartPosition.OLDEST).close();
            new RingConsumer(segment, "b", RingConsumers.StartPosition.OLDEST).close();
        }
        final UnsafeBuffer stateA = checkpoint("checkpoint-a");
        final UnsafeBuffer stateB = checkpoint("checkpoint-b");
        final long startNs = System.nanoTime();
        final List<ChildJvm> consumers = new ArrayList<>();
        for (final String name : new String[] {"a", "b"})
        {
            final ChildJvm consumer = ChildJvm.start("soak-consumer-" + name, LivenessChild.class, "consume",
                ring.toString(), dir.resolve("checkpoint-" + name).toString(), Integer.toString(PRODUCERS),
                Long.toString(perProducer), Integer.toString(LIMIT), name);
            children.add(consumer);
            consumers.add(consumer);
        }
        final List<ChildJvm> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++)
        {
            final ChildJvm producer = ChildJvm.start("soak-producer-" + p, LivenessChild.class, "produce",
                ring.toString(), Integer.toString(p), Long.toString(perProducer));
            children.add(producer);
            producers.add(producer);
        }
        final long awaitMs = 3_000_000;
        for (final ChildJvm consumer : consumers)
        {
            consumer.awaitSuccess(awaitMs);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        for (final ChildJvm producer : producers)
        {
            producer.awaitSuccess(30_000);
        }
        for (int p = 0; p < PRODUCERS; p++)
        {
            assertEquals(perProducer - 1, stateA.getLongVolatile(8 * p), "consumer a, last sequence of producer " + p);
            assertEquals(perProducer - 1, stateB.getLongVolatile(8 * p), "consumer b, last sequence of producer " + p);
        }
        assertEquals(0, stateA.getLongVolatile(8 * PRODUCERS), "consumer a: exactly once, no redelivery");
        assertEquals(0, stateB.getLongVolatile(8 * PRODUCERS), "consumer b: exactly once, no redelivery");
        assertEquals(records, progress(stateA));
        assertEquals(records, progress(stateB));
        for (final ChildJvm consumer : consumers)
        {
            assertTrue(consumer.log().contains("DONE redeliveries=0"), consumer::logTail);
        }
        final String report = String.format(java.util.Locale.ROOT, "fan-out soak: %,d records (%d producer JVMs x " +
            "%,d), 2 consumer JVMs, each received all %,d exactly once; %.1f s from the first JVM start to both " +
            "consumers done, %.2f M records/s per consumer", records, PRODUCERS, perProducer, records, seconds,
            records / seconds / 1e6);
        System.out.println(report);
        Files.createDirectories(Path.of("target", "fanout"));
        Files.writeString(Path.of("target", "fanout", "soak-" + records + "-" + System.currentTimeMillis() + ".txt"),
            report + "\n");
    }

    private UnsafeBuffer checkpoint(final String name)
    {
        final MappedByteBuffer mapped = IoUtil.mapNewFile(dir.resolve(name).toFile(), 4096);
        mappings.add(mapped);
        final UnsafeBuffer state = new UnsafeBuffer(mapped);
        for (int p = 0; p < PRODUCERS; p++)
        {
            state.putLongVolatile(8 * p, -1);
        }
        return state;
    }

    private ChildJvm consumer(final Path ring, final String name, final int generation) throws Exception
    {
        final ChildJvm consumer = ChildJvm.start("fan-consumer-" + name + "-" + generation, LivenessChild.class,
            "consume", ring.toString(), dir.resolve("checkpoint-" + name).toString(), Integer.toString(PRODUCERS),
            Integer.toString(PER_PRODUCER), Integer.toString(LIMIT), name);
        children.add(consumer);
        return consumer;
    }

    private static long progress(final UnsafeBuffer state)
    {
        return progress(state, PRODUCERS);
    }

    private static long progress(final UnsafeBuffer state, final int producers)
    {
        long sum = 0;
        for (int p = 0; p < producers; p++)
        {
            sum += state.getLongVolatile(8 * p) + 1;
        }
        return sum;
    }
}

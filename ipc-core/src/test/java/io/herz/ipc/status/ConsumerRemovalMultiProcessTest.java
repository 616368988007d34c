package io.herz.ipc.status;

import io.herz.ipc.ring.LivenessChild;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's "a consumer removed while producers are back-pressured on it unblocks them", with real JVMs and a live
 * holder: consumer JVM b attaches and is then stopped (SIGSTOP: alive, not reading); a producer JVM fills the ring
 * and is held back by b while consumer JVM a reads. {@link ConsumerAdmin#remove} refuses b (naming its pid) without
 * force; with force it detaches b and removes the name, and the producer proceeds and finishes, a having received
 * every record exactly once.
 */
@Timeout(120)
class ConsumerRemovalMultiProcessTest
{
    private static final int RECORDS = 60_000; // 32 bytes each: far more than the 64 KiB ring holds

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private MappedByteBuffer checkpointA;

    @AfterEach
    void cleanUp()
    {
        children.forEach(ChildJvm::destroyForcibly); // SIGKILL also ends a stopped process
        if (checkpointA != null)
        {
            IoUtil.unmap(checkpointA);
        }
    }

    @Test
    void shouldUnblockTheProducerWhenAStoppedLiveConsumerIsRemovedByForce() throws Exception
    {
        final Path ring = dir.resolve("held.seg");
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(64 * 1024)))
        {
            new RingConsumer(segment, "a", RingConsumers.StartPosition.OLDEST).close();
            new RingConsumer(segment, "b", RingConsumers.StartPosition.OLDEST).close();
        }
        final ChildJvm b = start("consumer-b", "consume", ring.toString(), dir.resolve("checkpoint-b").toString(),
            "1", Integer.toString(RECORDS), "64", "b");
        Await.await(() -> b.logTail().contains("CONSUMING"), 60_000, b::logTail);
        b.signal("STOP");
        final ChildJvm a = start("consumer-a", "consume", ring.toString(), dir.resolve("checkpoint-a").toString(),
            "1", Integer.toString(RECORDS), "64", "a");
        final ChildJvm producer = start("producer", "produce", ring.toString(), "0", Integer.toString(RECORDS));

        final UnsafeBuffer progressA = checkpoint(dir.resolve("checkpoint-a"), a);
        long before;
        long after = progressA.getLongVolatile(0);
        do
        {
            before = after;
            Thread.sleep(300);
            after = progressA.getLongVolatile(0);
        }
        while (after != before || after < 0 || backPressure(ring) == 0);
        assertTrue(after < RECORDS - 1, "a is held back with b: " + after);
        assertTrue(producer.process().isAlive(), producer::logTail);
        final SegmentStatus held = SegmentStatus.read(ring);
        assertEquals("b", held.slowestConsumer().name());
        assertEquals(b.pid(), held.slowestConsumer().pid());

        final SegmentException refused = assertThrows(SegmentException.class,
            () -> ConsumerAdmin.remove(ring, "b", false));
        assertEquals(ring + ": consumer b is in use: expected no live process attached, found pid=" + b.pid() +
            " (alive); stop it, or remove with --force to detach it", refused.getMessage());
        assertTrue(ConsumerAdmin.list(ring).stream().anyMatch(c -> c.name().equals("b")));

        final ConsumerAdmin.Removal removal = ConsumerAdmin.remove(ring, "b", true);

        assertEquals(b.pid(), removal.detachedPid());
        assertTrue(removal.lagBytes() > 0, removal::toString);
        producer.awaitSuccess(60_000);
        a.awaitSuccess(60_000);
        assertEquals(RECORDS - 1, progressA.getLongVolatile(0), "a got every record");
        assertEquals(0, progressA.getLongVolatile(8), "a got none twice");
        assertTrue(a.log().contains("DONE redeliveries=0"), a::logTail);
        assertFalse(ConsumerAdmin.list(ring).stream().anyMatch(c -> c.name().equals("b")));
        assertEquals("a", SegmentStatus.read(ring).slowestConsumer().name());
    }

    private static long backPressure(final Path ring)
    {
        final List<SegmentStatus.ProducerStatus> producers = SegmentStatus.read(ring).producers();
        return producers.isEmpty() ? 0 : producers.get(0).backPressureCount();
    }

    private ChildJvm start(final String name, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start("removal-" + name, LivenessChild.class, args);
        children.add(child);
        return child;
    }

    /** The consumer child creates its checkpoint file; map it once it exists. */
    private UnsafeBuffer checkpoint(final Path path, final ChildJvm consumer)
    {
        final File file = path.toFile();
        Await.await(() -> file.length() == 4096, 60_000, consumer::logTail);
        checkpointA = IoUtil.mapExistingFile(file, "checkpoint-a");
        return new UnsafeBuffer(checkpointA);
    }
}

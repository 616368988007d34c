package io.herz.ipc.ring;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, item 1: every slot records its owner's pid namespace, and a holder recorded in another pid namespace is
 * never taken for dead, even when its pid does not exist here. The holders are written into real segments: a token
 * whose pid is above {@code pid_max} (no such process can exist in this namespace) and a namespace id other than
 * ours. The controls write the same holder with our namespace, or with none (a file from before the field), and see
 * it taken for dead.
 */
@Timeout(30)
class PidNamespaceTest
{
    private static final long OUR_NS = ProcessIdentity.current().pidNamespace();
    private static final long FOREIGN_NS = OUR_NS == 0xFFFF_FFFFL ? 1 : OUR_NS + 1;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @AfterEach
    void close() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldRecordOurPidNamespaceInEverySlotWeTake()
    {
        final Segment segment = segment("record.seg", 2);

        final RingProducer producer = track(new RingProducer(segment, 7));
        final RingConsumer consumer = track(new RingConsumer(segment, "agg", RingConsumers.StartPosition.TAIL));

        assertNotEquals(0, OUR_NS, "this test needs /proc/self/ns/pid");
        assertEquals(OUR_NS, ProcessIdentity.namespaceFromField(segment.buffer().getInt(
            SegmentDescriptor.producerSlotOffset(producer.slotIndex()) + ProducerSlotDescriptor.PID_NAMESPACE_OFFSET)));
        assertEquals(OUR_NS, ProcessIdentity.namespaceFromField(segment.buffer().getInt(
            SegmentDescriptor.consumerPidNamespaceOffset(consumer.slotIndex()))));
    }

    @Test
    void shouldNeverReclaimTheProducerSlotOfAHolderInAnotherPidNamespace() throws Exception
    {
        final Segment segment = segment("producer-foreign.seg", 1);
        final long token = ProcessIdentity.token(absentPid(), 12_345);
        occupyProducerSlot(segment, 0, token, FOREIGN_NS, ProducerSlotDescriptor.NO_CLAIM, 0,
            ProducerSlotDescriptor.NO_CLAIM);

        final SegmentException ex = assertThrows(SegmentException.class, () -> new RingProducer(segment, 1));

        assertEquals(segment.path() + ": no free producer slot: expected fewer than 1 live producers, found 1; ring " +
            segment.path() + " producer slot 0 held by a process in another pid namespace: pid " + absentPid() +
            " in pid:[" + FOREIGN_NS + "], this process is in pid:[" + OUR_NS + "]; it is never taken for dead " +
            "(run every process of a pipeline in one pid namespace, or remove the ring once that process has stopped)",
            ex.getMessage());
        assertEquals(token, segment.buffer().getLongVolatile(
            SegmentDescriptor.producerSlotOffset(0) + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET));
    }

    @Test
    void shouldReclaimTheSameDeadHolderRecordedInOurNamespaceOrInNone() throws Exception
    {
        for (final long namespace : new long[] {OUR_NS, ProcessIdentity.UNKNOWN_NAMESPACE})
        {
            final Segment segment = segment("producer-ours-" + namespace + ".seg", 1);
            occupyProducerSlot(segment, 0, ProcessIdentity.token(absentPid(), 12_345), namespace,
                ProducerSlotDescriptor.NO_CLAIM, 0, ProducerSlotDescriptor.NO_CLAIM);

            try (RingProducer producer = new RingProducer(segment, 1))
            {
                assertEquals(0, producer.slotIndex(), "namespace " + namespace);
                assertEquals(ProcessIdentity.current().token(), segment.buffer().getLongVolatile(
                    SegmentDescriptor.producerSlotOffset(0) + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET));
            }
        }
    }

    @Test
    void shouldNeverUnblockARecordClaimedByAProducerInAnotherPidNamespace()
    {
        final Segment segment = segment("unblock-foreign.seg", 2);
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.MILLISECONDS.toNanos(5), clock));
        final long token = ProcessIdentity.token(absentPid(), 777);
        claimByForeignHolder(segment, token, FOREIGN_NS);
        final RingUnblocker unblocker = new RingUnblocker(segment, TimeUnit.MILLISECONDS.toNanos(5));

        boolean unblocked = false;
        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(200); t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            unblocked |= unblocker.onEmpty(0, t);
            consumer.read((type, buffer, offset, length) -> { });
        }

        assertFalse(unblocked);
        assertEquals(0, consumer.unblockedRecords());
        assertEquals(0, consumer.position());
        assertEquals(0, segment.buffer().getLongVolatile(SegmentDescriptor.UNBLOCKED_RECORDS_OFFSET));
        assertEquals("ring " + segment.path() + " position 0 (producer slot 0) held by a process in another pid " +
            "namespace: pid " + absentPid() + " in pid:[" + FOREIGN_NS + "], this process is in pid:[" + OUR_NS +
            "]; it is never taken for dead (run every process of a pipeline in one pid namespace, or remove the " +
            "ring once that process has stopped); the ring waits for it", unblocker.foreignReport());
    }

    @Test
    void shouldUnblockTheSameClaimAtOnceWhenItsDeadHolderIsInOurNamespace()
    {
        final Segment segment = segment("unblock-ours.seg", 2);
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.SECONDS.toNanos(10), clock));
        claimByForeignHolder(segment, ProcessIdentity.token(absentPid(), 777), OUR_NS);
        final RingUnblocker unblocker = new RingUnblocker(segment, TimeUnit.SECONDS.toNanos(10));

        boolean unblocked = false;
        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(5) && !unblocked; t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            unblocked = unblocker.onEmpty(0, t);
        }

        assertTrue(unblocked, "a dead winner in our namespace is unblocked at once, long before the 10 s timeout");
        assertNull(unblocker.foreignReport());
    }

    @Test
    void shouldRefuseASecondProcessForAConsumerNameHeldInAnotherPidNamespace()
    {
        final Segment segment = segment("consumer-foreign.seg", 2);
        new RingConsumer(segment, "agg", RingConsumers.StartPosition.TAIL).close();
        final long token = ProcessIdentity.token(absentPid(), 4242);
        holdConsumerSlot(segment, 0, token, FOREIGN_NS);
        final String holder = "ring " + segment.path() + " consumer agg (slot 0) held by a process in another pid " +
            "namespace: pid " + absentPid() + " in pid:[" + FOREIGN_NS + "], this process is in pid:[" + OUR_NS +
            "]; it is never taken for dead (run every process of a pipeline in one pid namespace, or remove the " +
            "ring once that process has stopped)";

        final SegmentException attach = assertThrows(SegmentException.class,
            () -> new RingConsumer(segment, "agg", RingConsumers.StartPosition.TAIL));
        final SegmentException remove = assertThrows(SegmentException.class,
            () -> RingConsumers.remove(segment, "agg"));

        assertEquals(segment.path() + ": consumer agg already has a process: " + holder, attach.getMessage());
        assertEquals(segment.path() + ": consumer agg is in use: " + holder, remove.getMessage());
        assertEquals(token, segment.buffer().getLongVolatile(
            SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET));
        final RingConsumers.ConsumerInfo info = RingConsumers.list(segment).get(0);
        assertEquals(absentPid(), info.pid());
        assertTrue(info.alive(), "a holder in another namespace is listed as not dead");
    }

    @Test
    void shouldTakeOverTheSameConsumerNameWhenItsDeadHolderIsInOurNamespaceOrInNone()
    {
        for (final long namespace : new long[] {OUR_NS, ProcessIdentity.UNKNOWN_NAMESPACE})
        {
            final Segment segment = segment("consumer-ours-" + namespace + ".seg", 2);
            new RingConsumer(segment, "agg", RingConsumers.StartPosition.TAIL).close();
            holdConsumerSlot(segment, 0, ProcessIdentity.token(absentPid(), 4242), namespace);

            try (RingConsumer consumer = new RingConsumer(segment, "agg", RingConsumers.StartPosition.TAIL))
            {
                assertEquals(0, consumer.slotIndex());
                assertEquals(OUR_NS, ProcessIdentity.namespaceFromField(
                    segment.buffer().getInt(SegmentDescriptor.consumerPidNamespaceOffset(0))));
            }
        }
    }

    @Test
    void shouldNeverDropAConsumerHeldInAnotherPidNamespace() throws Exception
    {
        final Segment segment = segment("drop-foreign.seg", 2);
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer keeper = track(new RingConsumer(segment, "keeper", RingConsumers.StartPosition.OLDEST));
        final RingConsumer droppable = new RingConsumer(segment, "droppable", RingConsumers.StartPosition.OLDEST, 50,
            RingConsumer.DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS, System::nanoTime);
        final int slotIndex = droppable.slotIndex();
        droppable.close();
        holdConsumerSlot(segment, slotIndex, ProcessIdentity.token(absentPid(), 99), FOREIGN_NS);
        int sent = 0;
        while (offer(producer, sent))
        {
            sent++;
        }
        keeper.read((type, buffer, offset, length) -> { });

        Thread.sleep(120);

        assertFalse(offer(producer, sent), "still held: the holder's last heartbeat is old, but it is never dead");
        assertEquals(0, segment.buffer().getLongVolatile(SegmentDescriptor.DROPPED_CONSUMERS_OFFSET));
        assertEquals(List.of("keeper", "droppable"), RingConsumers.list(segment).stream()
            .map(RingConsumers.ConsumerInfo::name).toList());
    }

    @Test
    void shouldNeverTakeTheRingLockFromACleaningProducerInAnotherPidNamespace() throws Exception
    {
        final Segment segment = segment("lock-foreign.seg", 2);
        final long token = ProcessIdentity.token(absentPid(), 31);
        occupyProducerSlot(segment, 0, token, FOREIGN_NS, ProducerSlotDescriptor.NO_CLAIM, 0,
            ProducerSlotDescriptor.NO_CLAIM);
        segment.buffer().putLongRelease(SegmentDescriptor.RING_LOCK_TOKEN_OFFSET, token);

        final boolean taken = RingLock.tryLock(segment);

        assertFalse(taken, "the lock of a holder in another pid namespace is waited for");
        assertEquals(token, segment.buffer().getLongVolatile(SegmentDescriptor.RING_LOCK_TOKEN_OFFSET));

        // the same dead holder recorded in our namespace: its lock is taken over
        segment.buffer().putInt(SegmentDescriptor.producerSlotOffset(0) + ProducerSlotDescriptor.PID_NAMESPACE_OFFSET,
            (int)OUR_NS);
        assertTrue(RingLock.tryLock(segment));
        RingLock.unlock(segment);
    }

    private boolean offer(final RingProducer producer, final int value)
    {
        payload.putInt(0, value);
        return producer.offer(1, payload, 0, 32);
    }

    /** A producer in another namespace won the claim of [0, 32) and has not written its header yet. */
    private static void claimByForeignHolder(final Segment segment, final long token, final long namespace)
    {
        occupyProducerSlot(segment, 0, token, namespace, 0, 32, 0);
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 32);
    }

    private static void occupyProducerSlot(
        final Segment segment, final int index, final long token, final long namespace, final long claimPosition,
        final long claimLength, final long claimedPosition)
    {
        final int slot = SegmentDescriptor.producerSlotOffset(index);
        final AtomicBuffer header = segment.buffer();
        header.putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
        header.putInt(slot + ProducerSlotDescriptor.PID_NAMESPACE_OFFSET, (int)namespace);
        header.putLongRelease(slot + ProducerSlotDescriptor.PID_OFFSET, ProcessIdentity.pidOf(token));
        header.putLong(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, claimLength);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, claimPosition);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIMED_POSITION_OFFSET, claimedPosition);
    }

    private static void holdConsumerSlot(final Segment segment, final int index, final long token, final long namespace)
    {
        final AtomicBuffer header = segment.buffer();
        header.putInt(SegmentDescriptor.consumerPidNamespaceOffset(index), (int)namespace);
        header.putLong(SegmentDescriptor.consumerSlotOffset(index) + ConsumerSlotDescriptor.PID_OFFSET,
            ProcessIdentity.pidOf(token));
        header.putLongRelease(SegmentDescriptor.consumerSlotOffset(index) + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET,
            token);
    }

    /** A pid above {@code pid_max}: no process in this namespace can have it. */
    private static long absentPid()
    {
        try
        {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/pid_max")).trim()) + 1;
        }
        catch (final Exception ex)
        {
            return (1L << 22) + 1; // the kernel's largest pid_max is 2^22
        }
    }

    private Segment segment(final String name, final int producerSlots)
    {
        try
        {
            return track(Segment.create(dir.resolve(name), new SegmentConfig().capacity(4096).maxRecordLength(200)
                .producerSlotCount(producerSlots)));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }
}

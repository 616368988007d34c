package io.herz.ipc.ring;

import io.herz.ipc.test.DeadProcess;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantees 7 and 8 in one process: slot reclamation, the unidentified-stall fallback and the consumer slot.
 */
@Timeout(30)
class LivenessTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldReclaimSlotOfDeadProducerWhenNothingOfItIsUnconsumed() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("reclaim.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(2)))
        {
            final long deadToken = DeadProcess.token();
            occupySlot(segment, 0, deadToken, ProducerSlotDescriptor.NO_CLAIM, 0);

            try (RingProducer first = new RingProducer(segment, 1);
                RingProducer second = new RingProducer(segment, 2))
            {
                assertEquals(0, first.slotIndex());
                assertEquals(1, second.slotIndex());
                final SegmentException ex = assertThrows(SegmentException.class, () -> new RingProducer(segment, 3));
                assertEquals(segment.path() + ": no free producer slot: expected fewer than 2 live producers, found 2",
                    ex.getMessage());
            }
        }
    }

    @Test
    void shouldKeepSlotOfDeadProducerWhileAClaimItMayHaveWonIsUnconsumed() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("keep.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(2)))
        {
            segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 64);
            // An intent the owner may have won without recording it (killed between its tail CAS and F24).
            occupySlot(segment, 0, DeadProcess.token(), 0, 64);
            recordWin(segment, 0, ProducerSlotDescriptor.NO_CLAIM);

            try (RingProducer producer = new RingProducer(segment, 1))
            {
                assertEquals(1, producer.slotIndex(), "the dead producer's claim [0, 64) is not consumed yet");
                assertEquals(0L, segment.dataBuffer().getLongVolatile(0), "nothing written over it");
            }
        }
    }

    @Test
    void shouldPadClaimOfDeadWinnerWhenRegisteringWhileNoConsumerHasReachedIt() throws Exception
    {
        // The 60-minute fault campaign (seed 20261204): six producers killed inside a claim while the consumers were
        // held up in front of their claims kept six of eight slots, and two replacements were refused.
        try (Segment segment = Segment.create(dir.resolve("pad.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(1));
            RingConsumer lagging = new RingConsumer(segment))
        {
            deadWinnerOfFirst64Bytes(segment);
            // A shared claim writes no header (layout v3): the dead winner's record still holds the clean word.

            try (RingProducer replacement = new RingProducer(segment, 2))
            {
                assertEquals(0, replacement.slotIndex());
                assertEquals(RecordDescriptor.headerWord(64, RecordDescriptor.PADDING_TYPE_ID),
                    segment.dataBuffer().getLongVolatile(0), "the dead winner's claim is padding");
                assertEquals(1, lagging.unblockedRecords());
                assertTrue(replacement.offer(9, payload, 0, 8));

                final List<Integer> types = new ArrayList<>();
                lagging.read((type, buffer, offset, length) -> types.add(type), 10);
                assertEquals(List.of(9), types, "the consumer skips the padding and gets the replacement's record");
            }
        }
    }

    @Test
    void shouldPadUnwrittenClaimOfDeadWinnerAcrossTheEndOfTheDataArea() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("wrap.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(1)))
        {
            // Killed between its tail CAS and its first header: 32 bytes of padding to the end and a 64-byte record
            // at offset 0 of the next lap, neither written. No consumer: the oldest position is the base, 4064.
            segment.buffer().putLongRelease(SegmentDescriptor.BASE_POSITION_OFFSET, 4064);
            segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 4160);
            segment.buffer().putLongRelease(SegmentDescriptor.CLEAN_POSITION_OFFSET, 4064 + 4096);
            for (int offset = 0; offset < 4064; offset += 8) // [4096, 8160) cleaned for lap 1 (layout v3)
            {
                segment.dataBuffer().putLong(offset, RecordDescriptor.cleanWord(1));
            }
            occupySlot(segment, 0, DeadProcess.token(), 4064, 96);
            recordWin(segment, 0, 4064);

            try (RingProducer replacement = new RingProducer(segment, 2))
            {
                assertEquals(0, replacement.slotIndex());
                assertEquals(RecordDescriptor.headerWord(32, RecordDescriptor.PADDING_TYPE_ID),
                    segment.dataBuffer().getLongVolatile(4064));
                assertEquals(RecordDescriptor.headerWord(64, RecordDescriptor.PADDING_TYPE_ID),
                    segment.dataBuffer().getLongVolatile(0));
                assertEquals(2, segment.buffer().getLongVolatile(SegmentDescriptor.UNBLOCKED_RECORDS_OFFSET));
            }
        }
    }

    @Test
    void shouldPadNothingWhileALiveProcessHoldsTheRingLock() throws Exception
    {
        final long otherLive = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid())
            .orElseThrow().token();
        try (Segment segment = Segment.create(dir.resolve("locked.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(1)))
        {
            deadWinnerOfFirst64Bytes(segment);
            segment.buffer().putLongVolatile(SegmentDescriptor.RING_LOCK_TOKEN_OFFSET, otherLive);

            assertThrows(SegmentException.class, () -> new RingProducer(segment, 2));
            assertEquals(0L, segment.dataBuffer().getLongVolatile(0), "a zero word may be clean space of the next " +
                "lap while a cleaner runs: never padded without the lock");
        }
    }

    @Test
    void shouldReclaimSlotOfDeadProducerEveryConsumerReadPastWhileALiveProcessHoldsTheRingLock() throws Exception
    {
        // A producer stopped (SIGSTOP) while it cleans holds the ring lock; a slot whose claim every consumer has
        // read is free all the same (before: every dead slot with a claim stayed held until the lock was free).
        final long otherLive = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid())
            .orElseThrow().token();
        try (Segment segment = Segment.create(dir.resolve("consumed.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(1));
            RingConsumer consumer = new RingConsumer(segment))
        {
            deadWinnerOfFirst64Bytes(segment);
            segment.dataBuffer().putLongRelease(0, RecordDescriptor.headerWord(64, 7));
            final List<Integer> types = new ArrayList<>();
            consumer.read((type, buffer, offset, length) -> types.add(type), 10);
            assertEquals(List.of(7), types);
            segment.buffer().putLongVolatile(SegmentDescriptor.RING_LOCK_TOKEN_OFFSET, otherLive);

            try (RingProducer replacement = new RingProducer(segment, 2))
            {
                assertEquals(0, replacement.slotIndex());
            }
        }
    }

    @Test
    void shouldReclaimSlotOfDeadProducerOnceItsClaimIsUnblockedBeforeEveryConsumerReadIt() throws Exception
    {
        // The 60-minute fault campaign: producers killed inside a claim while a consumer was stopped kept their
        // slots until that consumer read past their claims, and their replacements found no free slot.
        try (Segment segment = Segment.create(dir.resolve("resolved.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(2));
            RingConsumer lagging = new RingConsumer(segment))
        {
            deadWinnerOfFirst64Bytes(segment);
            // What the unblocker leaves: padding over the dead winner's claim, not yet read by the consumer.
            segment.dataBuffer().putLongRelease(0, RecordDescriptor.headerWord(64, RecordDescriptor.PADDING_TYPE_ID));

            try (RingProducer producer = new RingProducer(segment, 1))
            {
                assertEquals(0, producer.slotIndex(), "the dead producer's claim [0, 64) is padded: nothing of it " +
                    "can stall the ring any more");
            }
        }
    }

    @Test
    void shouldKeepSlotOfDeadProducerWhileAPartOfItsBatchIsNotCommitted() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("partial.seg"), new SegmentConfig()
            .capacity(4096).producerSlotCount(2)))
        {
            segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 128);
            occupySlot(segment, 0, DeadProcess.token(), 0, 128);
            recordWin(segment, 0, ProducerSlotDescriptor.NO_CLAIM); // a won intent would be padded (F27)
            segment.dataBuffer().putLongRelease(0, RecordDescriptor.headerWord(64, 7));
            segment.dataBuffer().putLongRelease(64, RecordDescriptor.headerWord(-64, 64 >>> 3));

            try (RingProducer producer = new RingProducer(segment, 1))
            {
                assertEquals(1, producer.slotIndex(), "[64, 128) of the dead producer's claim is still claimed");
                final SegmentException ex = assertThrows(SegmentException.class, () -> new RingProducer(segment, 2));
                assertEquals(segment.path() + ": no free producer slot: expected fewer than 2 slots in use, found 2: " +
                    "1 live, 1 held by dead producers whose last claim is neither committed nor unblocked yet (each " +
                    "is freed once a consumer has unblocked it or read past it)", ex.getMessage());
            }
        }
    }

    @Test
    void shouldUnblockUnidentifiedStallOnlyAfterTimeout() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        try (Segment segment = Segment.create(dir.resolve("fallback.seg"), new SegmentConfig().capacity(4096));
            RingConsumer consumer = new RingConsumer(segment, TIMEOUT_NS, clock);
            RingProducer stuck = new RingProducer(segment, 1);
            RingProducer live = new RingProducer(segment, 2))
        {
            final int index = stuck.tryClaim(7, 24);
            // Make the claim unidentifiable: no slot names it any more.
            final int slot = SegmentDescriptor.producerSlotOffset(stuck.slotIndex());
            segment.buffer().putLongRelease(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET,
                ProducerSlotDescriptor.NO_CLAIM);
            assertTrue(live.offer(8, payload, 0, 16));
            final List<Integer> types = new ArrayList<>();

            for (long t = 0; t < TIMEOUT_NS; t += TimeUnit.MILLISECONDS.toNanos(500))
            {
                clock.update(t);
                assertEquals(0, consumer.read((type, buffer, offset, length) -> types.add(type), 10));
            }
            assertEquals(0, consumer.unblockedRecords());

            clock.update(TIMEOUT_NS + TimeUnit.MILLISECONDS.toNanos(2));
            consumer.read((type, buffer, offset, length) -> types.add(type), 10);
            clock.update(TIMEOUT_NS + TimeUnit.MILLISECONDS.toNanos(4));
            consumer.read((type, buffer, offset, length) -> types.add(type), 10);

            assertEquals(List.of(8), types);
            assertEquals(1, consumer.unblockedRecords());
            assertTrue(index > 0);
        }
    }

    @Test
    void shouldNeverUnblockClaimOfLiveProducer() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        try (Segment segment = Segment.create(dir.resolve("live.seg"), new SegmentConfig().capacity(4096));
            RingConsumer consumer = new RingConsumer(segment, TIMEOUT_NS, clock);
            RingProducer slow = new RingProducer(segment, 1);
            RingProducer other = new RingProducer(segment, 2))
        {
            final int index = slow.tryClaim(7, 8);
            assertTrue(other.offer(8, payload, 0, 8));
            final List<Integer> types = new ArrayList<>();
            for (long t = 0; t < 3 * TIMEOUT_NS; t += TimeUnit.MILLISECONDS.toNanos(100))
            {
                clock.update(t);
                consumer.read((type, buffer, offset, length) -> types.add(type), 10);
            }
            assertEquals(List.of(), types);
            assertEquals(0, consumer.unblockedRecords());

            slow.commit(index);
            consumer.read((type, buffer, offset, length) -> types.add(type), 10);

            assertEquals(List.of(7, 8), types);
        }
    }

    @Test
    void shouldTakeOverConsumerSlotOfDeadConsumerAndResumeAtItsPosition() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("takeover.seg"), new SegmentConfig().capacity(4096));
            RingProducer producer = new RingProducer(segment, 1))
        {
            for (int i = 0; i < 3; i++)
            {
                payload.putInt(0, i);
                assertTrue(producer.offer(1, payload, 0, 4));
            }
            final List<Integer> seen = new ArrayList<>();
            try (RingConsumer first = new RingConsumer(segment))
            {
                first.read((type, buffer, offset, length) -> seen.add(buffer.getInt(offset)), 1);
            }
            segment.buffer().putLongRelease(consumerSlot(0) + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET,
                DeadProcess.token());

            try (RingConsumer second = new RingConsumer(segment))
            {
                second.read((type, buffer, offset, length) -> seen.add(buffer.getInt(offset)), 10);
            }

            assertEquals(List.of(0, 1, 2), seen);
        }
    }

    @Test
    void shouldRefuseSecondConsumerInSameProcess() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("second.seg"), new SegmentConfig().capacity(4096));
            RingConsumer ignored = new RingConsumer(segment))
        {
            final SegmentException ex = assertThrows(SegmentException.class, () -> new RingConsumer(segment));

            assertEquals(segment.path() + ": consumer default already attached in this process: expected none, found pid=" +
                ProcessHandle.current().pid(), ex.getMessage());
        }
    }

    @Test
    void shouldResumeAfterBatchReleasedByDeadConsumer() throws Exception
    {
        try (Segment segment = Segment.create(dir.resolve("pending.seg"), new SegmentConfig().capacity(4096));
            RingProducer producer = new RingProducer(segment, 1))
        {
            for (int i = 0; i < 4; i++)
            {
                payload.putInt(0, i);
                assertTrue(producer.offer(1, payload, 0, 8));
            }
            // A consumer delivered the first two records (16 bytes each), released them (F9) and died.
            new RingConsumer(segment).close();
            final AtomicBuffer header = segment.buffer();
            header.putLongRelease(consumerSlot(0) + ConsumerSlotDescriptor.POSITION_OFFSET, 32);
            header.putLongRelease(consumerSlot(0) + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET, DeadProcess.token());

            final List<Integer> seen = new ArrayList<>();
            try (RingConsumer consumer = new RingConsumer(segment))
            {
                assertEquals(32, consumer.position());
                consumer.read((type, buffer, offset, length) -> seen.add(buffer.getInt(offset)), 10);
            }

            assertEquals(List.of(2, 3), seen);
        }
    }

    private static int consumerSlot(final int index)
    {
        return SegmentDescriptor.consumerSlotOffset(index);
    }

    /**
     * What a producer killed after winning [0, 64) leaves: the tail at 64, slot 0 held by a dead process whose intent
     * [0, 64) won (claimedPosition 0); the header at 0 is whatever the test writes.
     */
    private static void deadWinnerOfFirst64Bytes(final Segment segment) throws Exception
    {
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 64);
        occupySlot(segment, 0, DeadProcess.token(), 0, 64);
        recordWin(segment, 0, 0);
    }

    private static void recordWin(final Segment segment, final int index, final long claimedPosition)
    {
        segment.buffer().putLongRelease(SegmentDescriptor.producerSlotOffset(index) +
            ProducerSlotDescriptor.CLAIMED_POSITION_OFFSET, claimedPosition);
    }

    private static void occupySlot(final Segment segment, final int index, final long token, final long claimPosition,
        final long claimLength)
    {
        final int slot = SegmentDescriptor.producerSlotOffset(index);
        final AtomicBuffer header = segment.buffer();
        header.putLong(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, claimLength);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, claimPosition);
        header.putLongRelease(slot + ProducerSlotDescriptor.PID_OFFSET, ProcessIdentity.pidOf(token));
        header.putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
    }
}

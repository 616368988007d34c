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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.RecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Layout version 2 in one process: lap reuse without zeroing, several named consumers, exclusive producers, lost
 * commits after an unblock, batch claims, the unblocker's winner's record and the unidentified-stall bound.
 */
@Timeout(30)
class RingV2Test
{
    private static final int CAPACITY = 1024;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[256]);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    private Segment segment(final String name)
    {
        return track(Segment.create(dir.resolve(name), new SegmentConfig().capacity(CAPACITY).maxRecordLength(200)
            .producerSlotCount(4).counterCount(0)));
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    @Test
    void shouldNeverTakeStalePayloadCraftedAsNextLapHeadersForRecords()
    {
        final Segment segment = segment("crafted.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer consumer = track(new RingConsumer(segment));
        final List<Long> seen = new ArrayList<>();
        for (int lap = 0; lap < 4; lap++)
        {
            // Lap A: 128-byte records whose payload words equal, at every offset, what lap B writes there: the
            // committed header of a 16-byte record of type 7, alternating with the clean word of the next lap (what a
            // claimed, uncommitted header holds there).
            for (int r = 0; r < CAPACITY / 128; r++)
            {
                final int index = producer.tryClaim(3, 120);
                assertTrue(index >= 0);
                final long recordPosition = producerTail(segment) - 128;
                for (int w = 0; w < 120; w += 8)
                {
                    final long position = recordPosition + 8 + w;
                    producer.buffer().putLong(index + w, (position & 8) == 0 ?
                        headerWord(16, 7) : cleanWord((position + CAPACITY) / CAPACITY));
                }
                assertTrue(producer.commit(index));
            }
            assertEquals(CAPACITY / 128, consumer.read((type, buffer, offset, length) -> assertEquals(3, type)));

            // Lap B: 16-byte records; before each commit, the consumer must see nothing at all.
            for (int r = 0; r < CAPACITY / 16; r++)
            {
                final int index = producer.tryClaim(7, 8);
                assertTrue(index >= 0, "claim " + r);
                assertEquals(0, consumer.read((type, buffer, offset, length) -> fail("stale bytes taken for a record " +
                    "at offset " + offset)), "nothing before the commit");
                producer.buffer().putLong(index, 1000L * lap + r);
                assertTrue(producer.commit(index));
                assertEquals(1, consumer.read((type, buffer, offset, length) -> seen.add(buffer.getLong(offset))));
            }
        }
        assertEquals(4 * CAPACITY / 16, seen.size());
        for (int i = 0; i < seen.size(); i++)
        {
            assertEquals(1000L * (i / (CAPACITY / 16)) + i % (CAPACITY / 16), seen.get(i));
        }
        assertEquals(0, producer.lostClaims());
    }

    @Test
    void shouldDeliverEveryRecordToEachOfThreeConsumersAndHoldProducersBackBySlowest()
    {
        final Segment segment = segment("fan-out.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer a = track(new RingConsumer(segment, "a", RingConsumers.StartPosition.OLDEST));
        final RingConsumer b = track(new RingConsumer(segment, "b", RingConsumers.StartPosition.OLDEST));
        final RingConsumer c = track(new RingConsumer(segment, "c", RingConsumers.StartPosition.OLDEST));
        final List<List<Integer>> seen = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final RingConsumer[] consumers = {a, b, c};
        int sent = 0;
        for (int round = 0; round < 50; round++)
        {
            while (offer(producer, sent))
            {
                sent++;
            }
            assertTrue(sent > 0);
            // The ring is full for the slowest consumer: a and b read everything, c nothing; still back-pressured.
            a.read((type, buffer, offset, length) -> seen.get(0).add(buffer.getInt(offset)));
            b.read((type, buffer, offset, length) -> seen.get(1).add(buffer.getInt(offset)));
            assertFalse(offer(producer, sent), "held back by the slowest consumer, c");
            for (int i = 0; i < 3; i++)
            {
                final List<Integer> list = seen.get(i);
                while (consumers[i].read((type, buffer, offset, length) -> list.add(buffer.getInt(offset))) > 0)
                {
                    // drain, also across the end of the data area
                }
            }
        }
        for (int i = 0; i < 3; i++)
        {
            assertEquals(sent, seen.get(i).size(), "consumer " + i);
            for (int s = 0; s < sent; s++)
            {
                assertEquals(s, seen.get(i).get(s));
            }
        }
        assertEquals(List.of("a", "b", "c"), RingConsumers.list(segment).stream().map(RingConsumers.ConsumerInfo::name)
            .toList());
    }

    @Test
    void shouldJoinAtTailOrAtOldestAndResumeByName()
    {
        final Segment segment = segment("join.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer first = track(new RingConsumer(segment, "first", RingConsumers.StartPosition.OLDEST));
        for (int i = 0; i < 5; i++)
        {
            assertTrue(offer(producer, i));
        }
        final List<Integer> firstSeen = new ArrayList<>();
        first.read((type, buffer, offset, length) -> firstSeen.add(buffer.getInt(offset)), 2);

        final RingConsumer atTail = track(new RingConsumer(segment, "tail", RingConsumers.StartPosition.TAIL));
        final RingConsumer atOldest = track(new RingConsumer(segment, "oldest", RingConsumers.StartPosition.OLDEST));
        assertTrue(offer(producer, 5));
        final List<Integer> tailSeen = new ArrayList<>();
        final List<Integer> oldestSeen = new ArrayList<>();
        atTail.read((type, buffer, offset, length) -> tailSeen.add(buffer.getInt(offset)));
        atOldest.read((type, buffer, offset, length) -> oldestSeen.add(buffer.getInt(offset)));

        assertEquals(List.of(0, 1), firstSeen);
        assertEquals(List.of(5), tailSeen);
        assertEquals(List.of(2, 3, 4, 5), oldestSeen, "the oldest record still held is the one 'first' reads next");

        first.close();
        final RingConsumer again = track(new RingConsumer(segment, "first", RingConsumers.StartPosition.TAIL));
        again.read((type, buffer, offset, length) -> firstSeen.add(buffer.getInt(offset)));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), firstSeen, "a registered name resumes at its position");
    }

    @Test
    void shouldUnblockBackPressuredProducerWhenTheSlowConsumerIsRemoved()
    {
        final Segment segment = segment("remove.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer fast = track(new RingConsumer(segment, "fast", RingConsumers.StartPosition.OLDEST));
        final RingConsumer slow = new RingConsumer(segment, "slow", RingConsumers.StartPosition.OLDEST);
        int sent = 0;
        while (offer(producer, sent))
        {
            sent++;
        }
        fast.read((type, buffer, offset, length) -> { });
        assertFalse(offer(producer, sent));

        final SegmentException inUse = assertThrows(SegmentException.class, () -> RingConsumers.remove(segment, "slow"));
        assertEquals(segment.path() + ": consumer slow is in use: expected no live process attached, found pid=" +
            ProcessHandle.current().pid(), inUse.getMessage());
        slow.close();
        assertFalse(offer(producer, sent), "a closed consumer keeps holding the ring");
        assertTrue(RingConsumers.remove(segment, "slow"));
        assertFalse(RingConsumers.remove(segment, "slow"));

        assertTrue(offer(producer, sent), "removing the slow consumer frees its space");
        assertEquals(List.of("fast"), RingConsumers.list(segment).stream().map(RingConsumers.ConsumerInfo::name).toList());
    }

    @Test
    void shouldDropADeadConsumerAfterItsOptInTimeoutAndCountIt() throws Exception
    {
        final Segment segment = segment("drop.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer keeper = track(new RingConsumer(segment, "keeper", RingConsumers.StartPosition.OLDEST));
        new RingConsumer(segment, "droppable", RingConsumers.StartPosition.OLDEST, 50,
            RingConsumer.DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS, System::nanoTime).close();
        int sent = 0;
        while (offer(producer, sent))
        {
            sent++;
        }
        keeper.read((type, buffer, offset, length) -> { });
        assertFalse(offer(producer, sent), "held by the detached consumer within its timeout");

        Thread.sleep(120);

        assertTrue(offer(producer, sent), "dropped after 50 ms without a live process");
        assertEquals(1, segment.buffer().getLongVolatile(SegmentDescriptor.DROPPED_CONSUMERS_OFFSET));
        assertEquals(List.of("keeper"), RingConsumers.list(segment).stream().map(RingConsumers.ConsumerInfo::name)
            .toList());
    }

    @Test
    void shouldRefuseASecondProducerOnAnExclusiveRingNamingTheHolder()
    {
        final Segment segment = segment("exclusive.seg");
        final RingConsumer consumer = track(new RingConsumer(segment));
        final long pid = ProcessHandle.current().pid();
        try (RingProducer exclusive = RingProducer.exclusive(segment, 1))
        {
            final SegmentException shared = assertThrows(SegmentException.class, () -> new RingProducer(segment, 2));
            assertEquals(segment.path() + ": ring has an exclusive producer: expected no other producer, found pid=" +
                pid, shared.getMessage());
            final SegmentException second = assertThrows(SegmentException.class,
                () -> RingProducer.exclusive(segment, 3));
            assertEquals(shared.getMessage(), second.getMessage());

            assertTrue(exclusive.isExclusive());
            final List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                assertTrue(offer(exclusive, i));
                consumer.read((type, buffer, offset, length) -> seen.add(buffer.getInt(offset)));
            }
            assertEquals(200, seen.size());
            assertEquals(199, seen.get(199));
        }
        try (RingProducer shared = new RingProducer(segment, 2))
        {
            final SegmentException ex = assertThrows(SegmentException.class, () -> RingProducer.exclusive(segment, 3));
            assertEquals(segment.path() + ": ring has another producer: expected none for an exclusive producer, " +
                "found pid=" + pid + " slot=" + shared.slotIndex(), ex.getMessage());
            assertTrue(offer(shared, 1), "the refused exclusive producer left nothing behind");
        }
        try (RingProducer exclusive = RingProducer.exclusive(segment, 4))
        {
            assertTrue(offer(exclusive, 2), "exclusive again once the shared producer is gone");
        }
    }

    @Test
    void shouldReportACommitAsLostWhenItsClaimWasUnblockedAndNotTouchTheNextLapsClaim() throws Exception
    {
        final Segment segment = segment("lost.seg");
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.SECONDS.toNanos(5), clock));
        final RingProducer late = track(new RingProducer(segment, 1));
        final RingProducer other = track(new RingProducer(segment, 2));
        final int lateIndex = late.tryClaim(9, 8);
        // The late producer is taken for dead (a misjudged identity, or a real death whose commit was in flight).
        final int lateSlot = SegmentDescriptor.producerSlotOffset(late.slotIndex());
        segment.buffer().putLongRelease(lateSlot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, DeadProcess.token());
        final List<Integer> seen = new ArrayList<>();
        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(5); t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            consumer.read((type, buffer, offset, length) -> seen.add(type));
        }
        assertEquals(1, consumer.unblockedRecords());

        // The ring wraps and the same offset is claimed again, by the other producer, not yet committed.
        int reclaimed = -1;
        for (int i = 0; reclaimed != lateIndex; i++)
        {
            reclaimed = other.tryClaim(i % 2 == 0 ? 4 : 5, 8);
            assertTrue(reclaimed >= 0, "claim " + i);
            if (reclaimed != lateIndex)
            {
                assertTrue(other.commit(reclaimed));
                consumer.read((type, buffer, offset, length) -> seen.add(type));
            }
        }
        final long othersClaim = segment.dataBuffer().getLongVolatile(lateIndex - HEADER_LENGTH);

        assertFalse(late.commit(lateIndex), "the claim was unblocked: lost");
        assertEquals(othersClaim, segment.dataBuffer().getLongVolatile(lateIndex - HEADER_LENGTH),
            "the late commit did not write over the next lap's claim");
        assertEquals(1, late.lostClaims());
        assertEquals(1, segment.buffer().getLongVolatile(lateSlot + ProducerSlotDescriptor.LOST_CLAIMS_OFFSET));
        assertTrue(other.commit(reclaimed));
        consumer.read((type, buffer, offset, length) -> seen.add(type));
        assertFalse(seen.contains(9), "the lost record is never delivered");
        assertEquals(0, other.lostClaims());
        assertEquals((CAPACITY - 16) / 16 + 1, seen.size());
    }

    @Test
    void shouldUnblockADeadWinnerAtOnceEvenWhileAStoppedLosersStaleIntentCoversIt() throws Exception
    {
        final Segment segment = segment("winner.seg");
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.SECONDS.toNanos(60), clock));
        // Slot 0: a live producer (this process) that published its intent for position 0 and was stopped before
        // its tail CAS, which it then lost. Slot 1: a dead producer that won position 0 and died before its header.
        occupySlot(segment, 0, ProcessIdentity.current().token(), 0, 32, ProducerSlotDescriptor.NO_CLAIM);
        occupySlot(segment, 1, DeadProcess.token(), 0, 32, 0);
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 32);

        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(5); t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            consumer.read((type, buffer, offset, length) -> fail("nothing was committed"));
        }

        assertEquals(1, consumer.unblockedRecords(), "the dead winner's claim became padding without waiting");
        assertEquals(32, consumer.position());
    }

    @Test
    void shouldNotUnblockWhenTheOnlyCandidateIsALiveIntentThatMayHaveWon() throws Exception
    {
        final Segment segment = segment("ambiguous.seg");
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.MILLISECONDS.toNanos(2), clock));
        occupySlot(segment, 0, ProcessIdentity.current().token(), 0, 32, ProducerSlotDescriptor.NO_CLAIM);
        occupySlot(segment, 1, DeadProcess.token(), 64, 32, 64);
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 32);

        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(20); t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            consumer.read((type, buffer, offset, length) -> fail("nothing was committed"));
        }

        assertEquals(0, consumer.unblockedRecords(), "a live producer between its tail CAS and its record may own it");
        assertEquals(0, consumer.position());
    }

    @Test
    void shouldNeverPadOverALiveIntentOnTheUnidentifiedStallPath()
    {
        final Segment segment = segment("unidentified.seg");
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.MILLISECONDS.toNanos(2), clock));
        // Position 0..16: claimed by a producer no slot names (its slot was lost). Position 16..48: claimed by a
        // live producer that won and has not written its header yet.
        occupySlot(segment, 0, ProcessIdentity.current().token(), 16, 32, 16);
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 48);

        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(20); t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            consumer.read((type, buffer, offset, length) -> fail("nothing was committed"));
        }

        assertEquals(1, consumer.unblockedRecords());
        assertEquals(16, consumer.position(), "padding ends where the live intent starts");
        assertEquals(0, segment.dataBuffer().getLongVolatile(16), "the live claim's header space is untouched");
    }

    @Test
    void shouldPublishABatchAtOnceWithOneCommitAndPadItsRest()
    {
        final Segment segment = segment("batch.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        final RingConsumer consumer = track(new RingConsumer(segment));
        final List<Integer> seen = new ArrayList<>();
        for (int round = 0; round < 40; round++)
        {
            assertEquals(128, producer.tryClaimBatch(125));
            for (int r = 0; r < 3; r++)
            {
                final int index = producer.append(1 + r, 4 + r);
                assertTrue(index >= 0);
                producer.buffer().putInt(index, round * 10 + r);
            }
            assertEquals(RingProducer.BATCH_FULL, producer.append(1, 100));
            assertEquals(0, consumer.read((type, buffer, offset, length) -> fail("visible before commitBatch")));
            assertThrows(IllegalStateException.class, () -> producer.tryClaim(1, 8));

            assertTrue(producer.commitBatch());
            while (consumer.read((type, buffer, offset, length) ->
            {
                assertEquals(4 + type - 1, length);
                seen.add(buffer.getInt(offset));
            }) > 0)
            {
                // drain
            }
        }
        assertEquals(120, seen.size());
        for (int i = 0; i < seen.size(); i++)
        {
            assertEquals((i / 3) * 10 + i % 3, seen.get(i));
        }
        assertEquals(120, producer.recordsOffered());
    }

    @Test
    void shouldRefuseACorruptConsumerPositionNamingTheField()
    {
        final Segment segment = segment("corrupt-position.seg");
        new RingConsumer(segment).close();
        segment.buffer().putLongRelease(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.POSITION_OFFSET,
            1L << 40);

        final SegmentException ex = assertThrows(SegmentException.class, () -> new RingConsumer(segment));

        assertEquals(segment.path() + ": corrupt consumer position in consumer slot 0: expected an 8-byte aligned " +
            "position in 0..0, found 1099511627776", ex.getMessage());
    }

    @Test
    void shouldRefuseACorruptCleanPositionNamingTheField()
    {
        final Segment segment = segment("corrupt-clean.seg");
        final RingConsumer consumer = track(new RingConsumer(segment));
        segment.buffer().putLongRelease(SegmentDescriptor.CLEAN_POSITION_OFFSET, 1L << 40);

        final SegmentException ex = assertThrows(SegmentException.class,
            () -> consumer.read((type, buffer, offset, length) -> { }));

        assertEquals(segment.path() + ": corrupt cleanPosition: expected at most 1024, found 1099511627776 " +
            "consumer=default position=0", ex.getMessage());
    }

    @Test
    void shouldRefuseToCommitOverACorruptCleanPositionInsteadOfLoopingForEver()
    {
        final Segment segment = segment("corrupt-clean-producer.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        segment.dataBuffer().setMemory(0, CAPACITY, (byte)0x21); // not clean, as a fuzzer found it
        segment.buffer().putLongRelease(SegmentDescriptor.CLEAN_POSITION_OFFSET, 0x2121_2121_2121_2121L);

        final int index = producer.tryClaim(1, 8); // a claim writes nothing in the data area (layout v3)
        final SegmentException ex = assertThrows(SegmentException.class, () -> producer.commit(index));

        // the first commit meets dirty bytes where the cached clean position promised the clean word
        assertEquals(segment.path() + ": corrupt record header at position 0: expected clean space (0x0) or a " +
            "consumer's padding, found 0x2121212121212121 (cleanPosition " + 0x2121_2121_2121_2121L + ")",
            ex.getMessage());
    }

    @Test
    void shouldRefuseToCommitOverSpaceThatIsNotCleanInsteadOfLoopingForEver()
    {
        final Segment segment = segment("dirty.seg");
        final RingProducer producer = track(new RingProducer(segment, 1));
        segment.dataBuffer().setMemory(0, CAPACITY, (byte)0x21); // cleanPosition says clean; the bytes are not

        final int index = producer.tryClaim(1, 0);
        final SegmentException ex = assertThrows(SegmentException.class, () -> producer.commit(index));

        assertEquals(segment.path() + ": corrupt record header at position 0: expected clean space (0x0) or a " +
            "consumer's padding, found 0x2121212121212121 (cleanPosition 1024)", ex.getMessage());
    }

    @Test
    void shouldFreeTheSlotWhenClosingOverAClaimWhoseHeaderIsCorrupt()
    {
        final Segment segment = segment("corrupt-close.seg");
        final RingProducer producer = new RingProducer(segment, 1);
        final int slot = SegmentDescriptor.producerSlotOffset(0);
        assertNotEquals(0, segment.buffer().getLongVolatile(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET));
        producer.tryClaim(1, 8);
        segment.dataBuffer().putLong(0, 0x2121_2121_2121_2121L); // the claim's header: neither clean nor padding

        final SegmentException ex = assertThrows(SegmentException.class, producer::close);

        assertTrue(ex.getMessage().startsWith(segment.path() + ": corrupt record header at position 0"),
            ex.getMessage());
        assertEquals(0, segment.buffer().getLongVolatile(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET),
            "the slot is freed although the abort failed");
        assertEquals(-1, segment.buffer().getLongVolatile(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET),
            "no claim intent is left behind");
        producer.close(); // idempotent: closed, nothing left to abort
        assertEquals(0, track(new RingProducer(segment, 2)).slotIndex(), "the next producer takes the freed slot");
    }

    private boolean offer(final RingProducer producer, final int value)
    {
        payload.putInt(0, value);
        return producer.offer(1, payload, 0, 60);
    }

    private static long producerTail(final Segment segment)
    {
        return segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
    }

    private static void occupySlot(
        final Segment segment, final int index, final long token, final long claimPosition, final long claimLength,
        final long claimedPosition)
    {
        final int slot = SegmentDescriptor.producerSlotOffset(index);
        final AtomicBuffer header = segment.buffer();
        header.putLong(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, claimLength);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, claimPosition);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIMED_POSITION_OFFSET, claimedPosition);
        header.putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
    }
}

package io.herz.ipc.ring;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.status.SegmentStatus;
import io.herz.ipc.test.DeadProcess;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exclusive producer's commit by gate (F28 before F5x) in one process: what a dead exclusive producer's claim in
 * flight leaves in the ring is resolved by the next producer to register (F29), and a consumer that read a record
 * whose tail store is still to come is not taken for corrupt ({@link ProducerRegistry#committedEnd}).
 */
@Timeout(30)
class ExclusiveGateTest
{
    private static final int CAPACITY = 4096;
    private static final int TYPE = 3;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldZeroWhatADeadExclusiveProducerWroteOfAClaimWhoseGateNeverLanded() throws Exception
    {
        try (Segment segment = segment("zero.seg"))
        {
            final RingConsumer consumer = new RingConsumer(segment);
            // A dead exclusive producer claimed [0, 256) and wrote payload there, never its gate (the word at 0):
            // payload crafted as committed headers at every word, as a later record boundary would read them.
            plantDeadExclusive(segment, 0, 256);
            final AtomicBuffer data = segment.dataBuffer();
            for (int index = 8; index < 256; index += 8)
            {
                data.putLong(index, RecordDescriptor.headerWord(16, 99));
            }
            assertEquals(0, consumer.read((type, buffer, offset, length) -> { }), "a clean gate: nothing to read");

            try (RingProducer producer = RingProducer.exclusive(segment, 1))
            {
                assertEquals(0, producer.slotIndex(), "the dead producer's slot, its claim resolved, is taken over");
                assertTrue(producer.offer(TYPE, payload, 0, 8));
                final List<Integer> types = new ArrayList<>();
                assertEquals(1, consumer.read((type, buffer, offset, length) -> types.add(type)));
                assertEquals(List.of(TYPE), types, "the new record only: no stale payload taken for a header");
                assertEquals(0, consumer.read((type, buffer, offset, length) -> types.add(type)));
                for (int index = 16; index < 256; index += 8)
                {
                    assertEquals(0L, data.getLongVolatile(index), "zeroed at " + index);
                }
            }
            consumer.close();
        }
    }

    @Test
    void shouldRollTheTailForwardOverADeadExclusiveProducersCommitWhoseGateLanded() throws Exception
    {
        try (Segment segment = segment("roll.seg"))
        {
            final RingConsumer consumer = new RingConsumer(segment);
            // Killed between its gate (F28) and its tail store (F5x): the record [0, 16) is committed, the tail at 0.
            plantDeadExclusive(segment, 0, 16);
            segment.dataBuffer().putLong(8, 1234L);
            segment.dataBuffer().putLongRelease(0, RecordDescriptor.headerWord(16, TYPE));
            final List<Long> values = new ArrayList<>();
            assertEquals(1, consumer.read((type, buffer, offset, length) -> values.add(buffer.getLong(offset))));
            assertEquals(16, consumer.position(), "the consumer is past the tail (0)");

            try (RingProducer producer = new RingProducer(segment, 2))
            {
                assertEquals(16, segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET),
                    "the tail follows the committed claim");
                assertEquals(0, segment.buffer().getLongVolatile(SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET),
                    "the dead holder's exclusive word is freed for the shared producer");
                payload.putLong(0, 5678L);
                assertTrue(producer.offer(TYPE, payload, 0, 8));
                assertEquals(1, consumer.read((type, buffer, offset, length) -> values.add(buffer.getLong(offset))));
                assertEquals(List.of(1234L, 5678L), values, "each record once, none overwritten");
            }
            consumer.close();
        }
    }

    @Test
    void shouldAcceptAConsumerPositionAboveTheTailWhileTheExclusiveProducersTailStoreIsToCome()
    {
        try (Segment segment = segment("ahead.seg");
            RingProducer producer = RingProducer.exclusive(segment, 1))
        {
            final RingConsumer first = new RingConsumer(segment, "first", RingConsumers.StartPosition.OLDEST);
            final int index = producer.tryClaim(TYPE, 8);
            // The gate lands (F28) and the consumer reads the record before the producer's tail store (F5x): what a
            // producer descheduled between the two stores of finishExclusive leaves for as long as it is off the CPU.
            segment.dataBuffer().putLongRelease(index - RecordDescriptor.HEADER_LENGTH,
                RecordDescriptor.headerWord(16, TYPE));
            assertEquals(1, first.read((type, buffer, offset, length) -> { }));
            assertEquals(16, first.position());
            assertEquals(0, segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET));
            assertEquals(16, ProducerRegistry.committedEnd(segment, 0));
            final SegmentStatus status = SegmentStatus.read(segment.path()); // herz stat's read-only view
            assertEquals(16, status.consumers().get(0).position(), "not taken for corrupt: " + status);
            assertEquals(0, status.consumers().get(0).lagBytes());

            // A joining name checks every registered position against the committed end: none is corrupt.
            final RingConsumer second = new RingConsumer(segment, "second", RingConsumers.StartPosition.OLDEST);
            assertEquals(16, second.position(), "joined at the oldest position still held");
            assertTrue(producer.commit(index));
            assertEquals(16, segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET));
            assertTrue(producer.offer(TYPE + 1, payload, 0, 8));
            final List<Integer> seen = new ArrayList<>();
            assertEquals(1, first.read((type, buffer, offset, length) -> seen.add(type)));
            assertEquals(1, second.read((type, buffer, offset, length) -> seen.add(type)));
            assertEquals(List.of(TYPE + 1, TYPE + 1), seen, "the first record once, to the first name only");
            second.close();
            first.close();
        }
    }

    @Test
    void shouldKeepTheDeadExclusiveProducersSlotWhenItsIntentIsNotAnExclusiveClaim() throws Exception
    {
        try (Segment segment = segment("odd.seg"))
        {
            plantDeadExclusive(segment, 0, CAPACITY); // longer than any claim: not what a producer writes
            segment.dataBuffer().putLong(8, 77L);
            final SegmentException ex = assertThrows(SegmentException.class, () -> new RingProducer(segment, 2));
            assertTrue(ex.getMessage().contains("is gone with a claim in flight: expected to resolve it under " +
                "the ring lock, found an intent that is not an exclusive claim (claimPosition=0, claimLength=" +
                CAPACITY + "; expected at the tail 0, 8..2048 bytes, within the clean position 4096)"),
                ex.getMessage());
            assertEquals(77L, segment.dataBuffer().getLongVolatile(8), "nothing zeroed");
        }
    }

    @Test
    void shouldCommitAnExclusiveBatchWholeAtTheGateAlsoWhenItWraps()
    {
        try (Segment segment = segment("batch.seg");
            RingProducer producer = RingProducer.exclusive(segment, 1))
        {
            final RingConsumer consumer = new RingConsumer(segment);
            final List<Long> values = new ArrayList<>();
            long next = 0;
            long expected = 0;
            for (int lap = 0; lap < 3 * CAPACITY / 512; lap++) // batches of 512 bytes straddle the end of the ring
            {
                assertTrue(producer.tryClaimBatch(512 - 8 * (lap % 3)) > 0);
                for (int i = 0; i < 3; i++)
                {
                    final int index = producer.append(TYPE, 8);
                    producer.buffer().putLong(index, next++);
                }
                assertEquals(0, consumer.read((type, buffer, offset, length) -> values.add(buffer.getLong(offset))),
                    "nothing of an open batch is visible");
                assertTrue(producer.commitBatch());
                consumer.read((type, buffer, offset, length) -> values.add(buffer.getLong(offset)));
                consumer.read((type, buffer, offset, length) -> values.add(buffer.getLong(offset)));
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(expected, values.get((int)expected), "batch " + lap + " record " + i);
                    expected++;
                }
                assertEquals(expected, values.size(), "each record once, batch " + lap);
            }
            assertTrue(segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET) > 2L * CAPACITY);
            consumer.close();
        }
    }

    private Segment segment(final String name)
    {
        return Segment.create(dir.resolve(name), new SegmentConfig().capacity(CAPACITY).producerSlotCount(2)
            .counterCount(0));
    }

    /**
     * Slot 0 held by a dead exclusive producer with the claim intent {@code [claimPosition, + claimLength)}, and the
     * ring's exclusive word naming it.
     */
    private static void plantDeadExclusive(final Segment segment, final long claimPosition, final long claimLength)
        throws Exception
    {
        final long token = DeadProcess.token();
        final int slot = SegmentDescriptor.producerSlotOffset(0);
        final AtomicBuffer header = segment.buffer();
        header.putLong(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, claimLength);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, claimPosition);
        header.putLongRelease(slot + ProducerSlotDescriptor.CLAIMED_POSITION_OFFSET, ProducerSlotDescriptor.NO_CLAIM);
        header.putIntRelease(slot + ProducerSlotDescriptor.FLAGS_OFFSET, ProducerSlotDescriptor.FLAG_EXCLUSIVE);
        header.putLongRelease(slot + ProducerSlotDescriptor.PID_OFFSET, ProcessIdentity.pidOf(token));
        header.putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
        header.putLongRelease(SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET, token);
    }
}

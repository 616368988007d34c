package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.RecordDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-pressure (guarantee 5) and the claim/commit/abort contract: misuse is an {@link IllegalStateException},
 * aborted records are never delivered.
 */
@Timeout(30)
class RingClaimTest
{
    private static final int CAPACITY = 4 * 1024;
    /** 120 payload bytes + 8 header = 128 aligned: exactly 32 records fill the ring. */
    private static final int LENGTH = 120;
    private static final int RECORDS_TO_FILL = CAPACITY / 128;

    @TempDir
    Path dir;

    private Segment segment;
    private RingProducer producer;
    private RingConsumer consumer;
    private final List<String> delivered = new ArrayList<>();

    @BeforeEach
    void createRing()
    {
        segment = Segment.create(dir.resolve("claim.seg"), new SegmentConfig().capacity(CAPACITY).counterCount(0));
        producer = new RingProducer(segment, 42);
        consumer = new RingConsumer(segment);
    }

    @AfterEach
    void closeRing()
    {
        producer.close();
        consumer.close();
        segment.close();
    }

    @Test
    void shouldReturnBackPressuredAtOnceWhenTheRingIsFull()
    {
        for (int i = 0; i < RECORDS_TO_FILL; i++)
        {
            assertTrue(offer(i), "record " + i + " fits");
        }
        final long tail = tail();

        final long startNs = System.nanoTime();
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(RingProducer.BACK_PRESSURED, producer.tryClaim(1, LENGTH));
        }
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

        assertTrue(elapsedMs < 2_000, "1000 refused claims took " + elapsedMs + " ms");
        assertEquals(tail, tail(), "a refused claim does not move the tail");
        assertEquals(1000, producer.backPressureCount());
        assertEquals(1000, slotLong(ProducerSlotDescriptor.BACK_PRESSURE_COUNT_OFFSET));
        assertEquals(ProducerSlotDescriptor.NO_CLAIM, slotLong(ProducerSlotDescriptor.CLAIM_POSITION_OFFSET),
            "a refused claim withdraws its intent");
        assertFalse(offer(99), "offer on a full ring");
        assertEquals(RingProducer.BACK_PRESSURED, producer.tryClaim(1, 0), "not even an empty record fits");
    }

    @Test
    void shouldClaimAgainWhenTheConsumerHasReadFromAFullRing()
    {
        for (int i = 0; i < RECORDS_TO_FILL; i++)
        {
            assertTrue(offer(i));
        }
        assertEquals(RingProducer.BACK_PRESSURED, producer.tryClaim(1, LENGTH));

        assertEquals(1, consumer.read(this::collect, 1));
        final int index = producer.tryClaim(1, LENGTH);

        assertEquals(HEADER_LENGTH, index, "the freed space at the start of the ring");
        producer.buffer().putInt(index, 1000);
        producer.commit(index);
        assertEquals(RingProducer.BACK_PRESSURED, producer.tryClaim(1, LENGTH), "full again");
        assertEquals(RECORDS_TO_FILL - 1, consumer.read(this::collect), "up to the end of the data area");
        assertEquals(1, consumer.read(this::collect), "then from its start");
        assertEquals(RECORDS_TO_FILL + 1, delivered.size());
        assertEquals("1000", delivered.get(RECORDS_TO_FILL));
    }

    @Test
    void shouldRefuseASecondClaimWhileOneIsOutstanding()
    {
        final int index = producer.tryClaim(1, 16);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> producer.tryClaim(1, 16));

        assertEquals("producer already holds a claim: expected commit or abort of offset " + index, ex.getMessage());
        producer.commit(index);
        assertEquals(1, consumer.read(this::collect));
    }

    @Test
    void shouldRefuseOfferWhileAClaimIsOutstanding()
    {
        final int index = producer.tryClaim(1, 16);

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));

        assertEquals("producer already holds a claim: expected commit or abort of offset " + index, ex.getMessage());
    }

    @Test
    void shouldRefuseCommitOfAWrongOffset()
    {
        final int index = producer.tryClaim(1, 16);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> producer.commit(index + 8));

        assertEquals("no outstanding claim at offset " + (index + 8) + ": expected " + index, ex.getMessage());
        assertEquals(0, consumer.read(this::collect), "nothing committed");
        producer.commit(index);
        assertEquals(1, consumer.read(this::collect), "the right offset still commits");
    }

    @Test
    void shouldRefuseAbortOfAWrongOffset()
    {
        final int index = producer.tryClaim(1, 16);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> producer.abort(index - 8));

        assertEquals("no outstanding claim at offset " + (index - 8) + ": expected " + index, ex.getMessage());
    }

    @Test
    void shouldRefuseCommitWithoutAClaim()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> producer.commit(8));

        assertEquals("no outstanding claim at offset 8: expected none", ex.getMessage());
    }

    @Test
    void shouldRefuseASecondCommitOfTheSameClaim()
    {
        final int index = producer.tryClaim(1, 16);
        producer.commit(index);

        final IllegalStateException commit = assertThrows(IllegalStateException.class, () -> producer.commit(index));
        final IllegalStateException abort = assertThrows(IllegalStateException.class, () -> producer.abort(index));

        assertEquals("no outstanding claim at offset " + index + ": expected none", commit.getMessage());
        assertEquals("no outstanding claim at offset " + index + ": expected none", abort.getMessage());
        assertEquals(1, consumer.read(this::collect), "delivered once");
        assertEquals(0, consumer.read(this::collect));
    }

    @Test
    void shouldRefuseAClaimWhenClosed()
    {
        producer.close();

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> producer.tryClaim(1, 16));

        assertEquals("producer or its segment is closed: ring=" + segment.path(), ex.getMessage());
    }

    @Test
    void shouldRefuseClaimAndReadWhenSegmentIsClosedInsteadOfCrashing()
    {
        segment.close();

        final IllegalStateException claim = assertThrows(IllegalStateException.class, () -> producer.tryClaim(1, 16));
        final IllegalStateException read = assertThrows(IllegalStateException.class,
            () -> consumer.read(this::collect));

        assertEquals("producer or its segment is closed: ring=" + segment.path(), claim.getMessage());
        assertEquals("segment is closed: ring=" + segment.path(), read.getMessage());
    }

    @Test
    void shouldRefuseANonPositiveTypeId()
    {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> producer.tryClaim(0, 16));
        final IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
            () -> producer.tryClaim(RecordDescriptor.PADDING_TYPE_ID, 16));

        assertEquals("typeId must be positive: found 0", zero.getMessage());
        assertEquals("typeId must be positive: found -1", padding.getMessage());
        assertEquals(0, tail(), "nothing claimed");
    }

    @Test
    void shouldNeverDeliverAnAbortedRecord()
    {
        final int aborted = producer.tryClaim(2, LENGTH);
        producer.buffer().putInt(aborted, -1);
        producer.abort(aborted);
        assertTrue(offer(1));
        final int abortedAgain = producer.tryClaim(2, 0);
        producer.abort(abortedAgain);
        assertTrue(offer(2));

        final int count = consumer.read(this::collect);

        assertEquals(2, count);
        assertEquals(List.of("1", "2"), delivered);
        assertEquals(tail(), consumer.position(), "aborted space was skipped and released");
        assertEquals(0, consumer.read(this::collect));
    }

    @Test
    void shouldAbortTheOutstandingClaimWhenClosed()
    {
        final int index = producer.tryClaim(1, LENGTH);
        producer.buffer().putInt(index, 77);

        producer.close();
        try (RingProducer second = new RingProducer(segment, 43))
        {
            assertTrue(second.offer(1, intBuffer(5), 0, LENGTH));
        }

        assertEquals(1, consumer.read(this::collect));
        assertEquals(List.of("5"), delivered);
        assertEquals(tail(), consumer.position());
    }

    @Test
    void shouldReleaseUpToAndIncludingTheRecordWhoseHandlerThrew()
    {
        for (int i = 0; i < 4; i++)
        {
            assertTrue(offer(i));
        }

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> consumer.read(
            (type, buffer, index, length) ->
            {
                collect(type, buffer, index, length);
                if (buffer.getInt(index) == 1)
                {
                    throw new IllegalStateException("handler failed on record 1");
                }
            }));

        assertEquals("handler failed on record 1", ex.getMessage());
        assertEquals(List.of("0", "1"), delivered);
        assertEquals(2 * 128, consumer.position(), "the throwing record counts as delivered and is released");
        assertEquals(2, consumer.read(this::collect));
        assertEquals(List.of("0", "1", "2", "3"), delivered);
        assertEquals(4, consumer.recordsConsumed());
    }

    private boolean offer(final int value)
    {
        return producer.offer(1, intBuffer(value), 0, LENGTH);
    }

    private static UnsafeBuffer intBuffer(final int value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LENGTH]);
        buffer.putInt(0, value);
        return buffer;
    }

    private void collect(final int typeId, final org.agrona.MutableDirectBuffer buffer, final int index,
        final int length)
    {
        assertEquals(1, typeId);
        delivered.add(Integer.toString(buffer.getInt(index)));
    }

    private long tail()
    {
        return segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
    }

    private long slotLong(final int fieldOffset)
    {
        final AtomicBuffer header = segment.buffer();
        return header.getLongVolatile(SegmentDescriptor.producerSlotOffset(producer.slotIndex()) + fieldOffset);
    }
}

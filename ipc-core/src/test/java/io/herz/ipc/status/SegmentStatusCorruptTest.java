package io.herz.ipc.status;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentStatusCorruptTest
{
    @TempDir
    Path dir;

    private Segment segment;
    private AtomicBuffer header;
    private int slot0;
    private int counter0;

    @BeforeEach
    void setUp()
    {
        segment = Segment.create(dir.resolve("status.seg"), new SegmentConfig().capacity(4096).counterCount(4));
        header = segment.buffer();
        try (RingConsumer consumer = new RingConsumer(segment))
        {
            final org.agrona.concurrent.status.CountersManager manager = consumer.countersManager();
            manager.setCounterValue(manager.allocate("late events"), 3);
        }
        final RingProducer producer = new RingProducer(segment, 5); // left registered: slot 0 stays owned
        assertTrue(producer.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        slot0 = SegmentDescriptor.producerSlotOffset(0);
        counter0 = SegmentDescriptor.countersMetadataOffset(segment.producerSlotCount());
    }

    @AfterEach
    void tearDown()
    {
        segment.close();
    }

    @Test
    void validSegmentReads()
    {
        final SegmentStatus status = SegmentStatus.capture(segment);
        assertEquals(16, status.tailPosition());
        assertEquals(1, status.producers().size());
        assertEquals(5, status.producers().get(0).producerId());
        assertEquals(ProcessIdentity.Liveness.ALIVE, status.producers().get(0).liveness());
        assertEquals(3L, status.counters().get("late events"));
        assertEquals(0, status.producers().get(0).lostClaims());
        assertEquals(1, status.consumers().size());
        final SegmentStatus.ConsumerStatus consumer = status.consumers().get(0);
        assertEquals(RingConsumer.DEFAULT_NAME, consumer.name());
        assertEquals(0, consumer.pid(), "closed: no process attached");
        assertEquals(0, consumer.position());
        assertEquals(16, consumer.lagBytes());
        assertEquals(consumer, status.slowestConsumer());
    }

    @Test
    void shouldListEveryConsumerAndNameTheSlowest()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        try (RingConsumer fast = new RingConsumer(segment, "fast", RingConsumers.StartPosition.OLDEST);
            RingConsumer slow = new RingConsumer(segment, "slow", RingConsumers.StartPosition.TAIL))
        {
            final RingProducer producer = new RingProducer(segment, 6);
            for (int i = 0; i < 3; i++)
            {
                assertTrue(producer.offer(1, payload, 0, 8));
            }
            assertEquals(4, fast.read((type, buffer, offset, length) -> { }, 10));
            final SegmentStatus status = SegmentStatus.capture(segment);

            assertEquals(List.of(RingConsumer.DEFAULT_NAME, "fast", "slow"),
                status.consumers().stream().map(SegmentStatus.ConsumerStatus::name).toList());
            assertEquals(64, status.tailPosition());
            assertEquals(RingConsumer.DEFAULT_NAME, status.slowestConsumer().name(), "still at 0");
            final SegmentStatus.ConsumerStatus fastStatus = status.consumers().get(1);
            final SegmentStatus.ConsumerStatus slowStatus = status.consumers().get(2);
            assertEquals(64, fastStatus.position());
            assertEquals(0, fastStatus.lagBytes());
            assertEquals(4, fastStatus.recordsConsumed());
            assertEquals(ProcessHandle.current().pid(), fastStatus.pid());
            assertEquals(ProcessIdentity.Liveness.ALIVE, fastStatus.liveness());
            assertEquals(16, slowStatus.position(), "joined at the tail after the first record");
            assertEquals(48, slowStatus.lagBytes());
            assertEquals(0, status.headPosition());
            assertEquals(64, status.lagBytes());
        }
    }

    @Test
    void badConsumerState()
    {
        assertCorrupt("corrupt consumer slot 3 state: expected 0 (free) or 1 (registered), found 9",
            h -> h.putInt(SegmentDescriptor.consumerSlotOffset(3) + ConsumerSlotDescriptor.STATE_OFFSET, 9));
    }

    @Test
    void hugeConsumerNameLength()
    {
        assertCorrupt("corrupt consumer slot 0 nameLength: expected 1..64, found 65",
            h -> h.putInt(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.NAME_LENGTH_OFFSET, 65));
    }

    @Test
    void zeroConsumerNameLength()
    {
        assertCorrupt("corrupt consumer slot 0 nameLength: expected 1..64, found 0",
            h -> h.putInt(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.NAME_LENGTH_OFFSET, 0));
    }

    @Test
    void unprintableConsumerName()
    {
        assertCorrupt("corrupt consumer slot 0 name byte 2: expected printable US-ASCII without spaces " +
            "(0x21..0x7e), found 255",
            h -> h.putByte(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.NAME_OFFSET + 2,
                (byte)0xFF));
    }

    @Test
    void negativeDropAfter()
    {
        assertCorrupt("corrupt consumer slot 0 dropAfterMs: expected a count >= 0, found -1",
            h -> h.putLong(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.DROP_AFTER_MS_OFFSET, -1));
    }

    @Test
    void negativeConsumerRecords()
    {
        assertCorrupt("corrupt consumer slot 0 recordsConsumed: expected a count >= 0, found -2",
            h -> h.putLong(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET,
                -2));
    }

    @Test
    void negativeLostClaims()
    {
        assertCorrupt("corrupt producer slot 0 lostClaims: expected a count >= 0, found -3",
            h -> h.putLong(slot0 + ProducerSlotDescriptor.LOST_CLAIMS_OFFSET, -3));
    }

    private void assertCorrupt(final String message, final Consumer<AtomicBuffer> corruption)
    {
        corruption.accept(header);
        final SegmentException ex = assertThrows(SegmentException.class, () -> SegmentStatus.capture(segment));
        assertEquals(segment.path() + ": " + message, ex.getMessage());
        try (Segment readOnly = Segment.openReadOnly(segment.path()))
        {
            assertEquals(ex.getMessage(), assertThrows(SegmentException.class,
                () -> SegmentStatus.capture(readOnly)).getMessage());
        }
        catch (final SegmentException openRefused)
        {
            // the corruption is in a field open() validates: refused even earlier, still a SegmentException
        }
    }

    @Test
    void negativeHead()
    {
        assertCorrupt("corrupt consumer slot 0 position: expected a position >= 0 and a multiple of 8, found -8",
            h -> h.putLong(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.POSITION_OFFSET, -8));
    }

    @Test
    void misalignedTail()
    {
        assertCorrupt("corrupt tailPosition: expected a position >= 0 and a multiple of 8, found 17",
            h -> h.putLong(SegmentDescriptor.TAIL_POSITION_OFFSET, 17));
    }

    @Test
    void headPastTail()
    {
        assertCorrupt("corrupt consumer slot 0 position: expected at most tailPosition 16, found 1024",
            h -> h.putLong(SegmentDescriptor.consumerSlotOffset(0) + ConsumerSlotDescriptor.POSITION_OFFSET, 1024));
    }

    @Test
    void tailMoreThanACapacityAhead()
    {
        assertCorrupt("corrupt tailPosition: expected at most consumer slot 0 position + capacity = 4096, " +
            "found 8192",
            h -> h.putLong(SegmentDescriptor.TAIL_POSITION_OFFSET, 8192));
    }

    @Test
    void negativeSlotCounter()
    {
        assertCorrupt("corrupt producer slot 0 recordsOffered: expected a count >= 0, found -5",
            h -> h.putLong(slot0 + ProducerSlotDescriptor.RECORDS_OFFERED_OFFSET, -5));
    }

    @Test
    void negativeConsumerCount()
    {
        assertCorrupt("corrupt unblockedBytes: expected a count >= 0, found " + Long.MIN_VALUE,
            h -> h.putLong(SegmentDescriptor.UNBLOCKED_BYTES_OFFSET, Long.MIN_VALUE));
    }

    @Test
    void geometryChangedAfterOpen()
    {
        final SegmentException ex = assertThrows(SegmentException.class, () ->
        {
            header.putInt(SegmentDescriptor.PRODUCER_SLOT_COUNT_OFFSET, 100_000);
            SegmentStatus.capture(segment);
        });
        assertEquals(segment.path() + ": corrupt producerSlotCount: expected " + segment.producerSlotCount() +
            " (the value validated at open), found 100000", ex.getMessage());
    }

    @Test
    void negativeLabelLength()
    {
        // CountersReader.labelValue would throw NegativeArraySizeException here.
        assertCorrupt("corrupt counter 0 label length: expected 0..380, found -1",
            h -> h.putInt(counter0 + CountersReader.LABEL_OFFSET, -1));
    }

    @Test
    void hugeLabelLength()
    {
        // CountersReader.labelValue would try to allocate 2 GB here (OutOfMemoryError), or read past the mapping.
        assertCorrupt("corrupt counter 0 label length: expected 0..380, found " + Integer.MAX_VALUE,
            h -> h.putInt(counter0 + CountersReader.LABEL_OFFSET, Integer.MAX_VALUE));
    }

    @Test
    void unknownCounterState()
    {
        assertCorrupt("corrupt counter 0 state: expected 0, 1 or -1, found 77",
            h -> h.putInt(counter0, 77));
    }
}

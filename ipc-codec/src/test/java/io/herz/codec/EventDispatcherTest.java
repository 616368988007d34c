package io.herz.codec;

import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.EventEncoder;
import io.herz.codec.sbe.MessageHeaderEncoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(30)
class EventDispatcherTest
{
    @TempDir
    Path dir;

    Segment segment;
    RingProducer producer;
    RingConsumer consumer;
    EventPublisher publisher;
    final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
    final List<Double> values = new ArrayList<>();
    final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
    {
        public void onEvent(final EventDecoder decoder)
        {
            values.add(decoder.value());
        }
    }, 3);

    @BeforeEach
    void setUp()
    {
        segment = Segment.create(dir.resolve("events.seg"), new SegmentConfig().capacity(64 * 1024));
        producer = new RingProducer(segment, 1);
        consumer = new RingConsumer(segment);
        publisher = new EventPublisher(new ShmPublication(producer), 1);
    }

    @AfterEach
    void tearDown()
    {
        consumer.close();
        producer.close();
        segment.close();
    }

    @Test
    void shouldCountReportAndSkipForeignRecordsWhileDispatchingGoodOnes()
    {
        publisher.publishEvent(1, "a", 1.0);
        offerHeader(1, 72, 1, 7, 1, 80);                 // UNKNOWN_SCHEMA
        publisher.publishEvent(2, "b", 2.0);
        offerHeader(9, 72, 9, 1, 1, 80);                 // UNKNOWN_TEMPLATE
        offerHeader(2, 72, 1, 1, 1, 80);                 // TYPE_MISMATCH
        offerHeader(1, 72, 1, 1, 1, 40);                 // TRUNCATED: block longer than record
        producer.offer(1, scratch, 0, 4);                // TRUNCATED: shorter than the header
        offerHeader(1, 72, 1, 1, 0, 80);                 // INCOMPATIBLE_VERSION: version 0
        offerHeader(1, 64, 1, 1, 1, 80);                 // INCOMPATIBLE_VERSION: block too short
        offerEventWithKeySize(33);                       // INVALID_FIELD
        publisher.publishEvent(3, "c", 3.0);

        final int read = consumer.read(dispatcher);

        assertEquals(11, read);
        assertEquals(List.of(1.0, 2.0, 3.0), values);
        assertEquals(3, dispatcher.dispatchedCount());
        assertEquals(8, dispatcher.rejectedCount());
        assertEquals(1, dispatcher.rejectedCount(RejectReason.UNKNOWN_SCHEMA));
        assertEquals(1, dispatcher.rejectedCount(RejectReason.UNKNOWN_TEMPLATE));
        assertEquals(1, dispatcher.rejectedCount(RejectReason.TYPE_MISMATCH));
        assertEquals(2, dispatcher.rejectedCount(RejectReason.TRUNCATED));
        assertEquals(2, dispatcher.rejectedCount(RejectReason.INCOMPATIBLE_VERSION));
        assertEquals(1, dispatcher.rejectedCount(RejectReason.INVALID_FIELD));
        assertEquals("rejected 8 of 11 records: TRUNCATED=2, UNKNOWN_SCHEMA=1, INCOMPATIBLE_VERSION=2, " +
            "UNKNOWN_TEMPLATE=1, TYPE_MISMATCH=1, INVALID_FIELD=1; " +
            "first: UNKNOWN_SCHEMA at index=96 typeId=1 length=80 blockLength=72 templateId=1 schemaId=7 version=1; " +
            "UNKNOWN_TEMPLATE at index=272 typeId=9 length=80 blockLength=72 templateId=9 schemaId=1 version=1; " +
            "TYPE_MISMATCH at index=360 typeId=2 length=80 blockLength=72 templateId=1 schemaId=1 version=1",
            dispatcher.report());
    }

    @Test
    void shouldReportTruncatedRecordWithoutHeaderFields()
    {
        producer.offer(3, scratch, 0, 0);

        consumer.read(dispatcher);

        assertEquals("rejected 1 of 1 records: TRUNCATED=1; first: TRUNCATED at index=8 typeId=3 length=0",
            dispatcher.report());
    }

    @Test
    void shouldReadNewerWriterWithLongerBlockWhenVersionIsHigher()
    {
        final int index = producer.tryClaim(EventEncoder.TEMPLATE_ID, 8 + 72 + 16);
        new EventEncoder().wrapAndApplyHeader(producer.buffer(), index, new MessageHeaderEncoder())
            .eventTimeNs(5).value(42.5).keySize((short)0);
        producer.buffer().putShort(index, (short)(72 + 16));   // blockLength of a future version 3
        producer.buffer().putShort(index + 6, (short)3);       // version 3
        producer.commit(index);

        consumer.read(dispatcher);

        assertEquals(List.of(42.5), values);
        assertEquals(0, dispatcher.rejectedCount());
    }

    @Test
    void shouldRefuseNegativeMaxReported()
    {
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new EventDispatcher(new EventHandler() { }, -1));

        assertEquals("max reported is negative: expected >= 0, found -1", ex.getMessage());
    }

    void offerHeader(
        final int typeId, final int blockLength, final int templateId, final int schemaId, final int version,
        final int length)
    {
        scratch.setMemory(0, scratch.capacity(), (byte)0);
        new MessageHeaderEncoder().wrap(scratch, 0)
            .blockLength(blockLength).templateId(templateId).schemaId(schemaId).version(version);
        producer.offer(typeId, scratch, 0, length);
    }

    void offerEventWithKeySize(final int keySize)
    {
        final int index = producer.tryClaim(EventEncoder.TEMPLATE_ID, EventPublisher.EVENT_LENGTH);
        new EventEncoder().wrapAndApplyHeader(producer.buffer(), index, new MessageHeaderEncoder())
            .keySize((short)keySize);
        producer.commit(index);
    }
}

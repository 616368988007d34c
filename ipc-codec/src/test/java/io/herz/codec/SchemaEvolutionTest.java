package io.herz.codec;

import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version 1 (schemas/herz-events.xml, the production codecs) and version 2 (src/test/resources/herz-events-v2.xml,
 * generated into io.herz.codec.sbe.v2, adding Event.weight with sinceVersion 2) read each other's messages through a
 * real ring, interleaved so that the differing record lengths are exercised too.
 */
@Timeout(30)
class SchemaEvolutionTest
{
    static final int V2_EVENT_LENGTH = io.herz.codec.sbe.v2.MessageHeaderEncoder.ENCODED_LENGTH +
        io.herz.codec.sbe.v2.EventEncoder.BLOCK_LENGTH;

    @TempDir
    Path dir;

    Segment segment;
    RingProducer producer;
    RingConsumer consumer;

    @BeforeEach
    void setUp()
    {
        segment = Segment.create(dir.resolve("events.seg"), new SegmentConfig().capacity(64 * 1024));
        producer = new RingProducer(segment, 1);
        consumer = new RingConsumer(segment);
    }

    @AfterEach
    void tearDown()
    {
        consumer.close();
        producer.close();
        segment.close();
    }

    @Test
    void shouldDescribeVersionTwoAsTheVersionOneBlockPlusOneOptionalField()
    {
        assertEquals(1, io.herz.codec.sbe.v2.EventDecoder.SCHEMA_ID);
        assertEquals(EventDecoder.SCHEMA_ID, io.herz.codec.sbe.v2.EventDecoder.SCHEMA_ID);
        assertEquals(2, io.herz.codec.sbe.v2.EventDecoder.SCHEMA_VERSION);
        assertEquals(1, EventDecoder.SCHEMA_VERSION);
        assertEquals(EventDecoder.BLOCK_LENGTH + 8, io.herz.codec.sbe.v2.EventDecoder.BLOCK_LENGTH);
        assertEquals(2, io.herz.codec.sbe.v2.EventDecoder.weightSinceVersion());
        assertEquals(EventDecoder.BLOCK_LENGTH, io.herz.codec.sbe.v2.EventDecoder.weightEncodingOffset());
    }

    @Test
    void shouldReadVersionOneEventsWithVersionTwoDecoderWhenWeightIsAbsent()
    {
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 4, () -> 77);
        final Random random = new Random(5);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            final long time = random.nextLong();
            final double value = random.nextDouble();
            final String key = "k" + random.nextInt(1000);
            assertTrue(publisher.publishEvent(time, key, value) >= 0);
            expected.add(time + "|" + value + "|" + key + "|" + i + "|4|NaN|1|72");
        }
        final List<String> actual = new ArrayList<>();
        final io.herz.codec.sbe.v2.MessageHeaderDecoder header = new io.herz.codec.sbe.v2.MessageHeaderDecoder();
        final io.herz.codec.sbe.v2.EventDecoder decoder = new io.herz.codec.sbe.v2.EventDecoder();

        consumer.read((typeId, buffer, index, length) ->
        {
            header.wrap(buffer, index);
            assertEquals(io.herz.codec.sbe.v2.EventDecoder.TEMPLATE_ID, header.templateId());
            assertEquals(io.herz.codec.sbe.v2.EventDecoder.SCHEMA_ID, header.schemaId());
            decoder.wrap(buffer, index + header.encodedLength(), header.blockLength(), header.version());
            actual.add(decoder.eventTimeNs() + "|" + decoder.value() + "|" + decoder.key() + "|" +
                decoder.sequence() + "|" + decoder.producerId() + "|" + decoder.weight() + "|" +
                decoder.actingVersion() + "|" + header.blockLength());
        });

        assertEquals(expected, actual);
    }

    @Test
    void shouldReadVersionTwoEventsWithVersionOneDispatcherWhenInterleavedWithVersionOne()
    {
        final EventPublisher v1 = new EventPublisher(new ShmPublication(producer), 1, () -> 10);
        final io.herz.codec.sbe.v2.MessageHeaderEncoder v2Header = new io.herz.codec.sbe.v2.MessageHeaderEncoder();
        final io.herz.codec.sbe.v2.EventEncoder v2Event = new io.herz.codec.sbe.v2.EventEncoder();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            if (i % 3 == 0)
            {
                assertTrue(v1.publishEvent(i, "v1-" + i, i * 0.5) >= 0);
                expected.add(i + "|v1-" + i + "|" + (i * 0.5) + "|1");
            }
            else
            {
                final int index = producer.tryClaim(io.herz.codec.sbe.v2.EventEncoder.TEMPLATE_ID, V2_EVENT_LENGTH);
                assertTrue(index >= 0);
                v2Event.wrapAndApplyHeader(producer.buffer(), index, v2Header)
                    .eventTimeNs(i).publishTimeNs(20).sequence(i).value(i * 0.5).producerId(2)
                    .keySize((short)("v2-" + i).length()).key("v2-" + i).weight(i * 1.5);
                producer.commit(index);
                expected.add(i + "|v2-" + i + "|" + (i * 0.5) + "|2");
            }
        }
        final List<String> actual = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEvent(final EventDecoder decoder)
            {
                actual.add(decoder.eventTimeNs() + "|" + EventPublisherRoundTripTest.decoderKey(decoder) + "|" +
                    decoder.value() + "|" + decoder.producerId());
            }
        });

        consumer.read((typeId, buffer, index, length) ->
        {
            lengths.add(length);
            dispatcher.onMessage(typeId, buffer, index, length);
        });

        assertEquals(expected, actual);
        assertEquals(0, dispatcher.rejectedCount(), dispatcher::report);
        assertEquals(EventPublisher.EVENT_LENGTH, (int)lengths.get(0));
        assertEquals(V2_EVENT_LENGTH, (int)lengths.get(1));
    }

    @Test
    void shouldReadVersionTwoWeightWithVersionTwoDecoderAndOtherMessagesUnchanged()
    {
        final io.herz.codec.sbe.v2.MessageHeaderEncoder v2Header = new io.herz.codec.sbe.v2.MessageHeaderEncoder();
        final int index = producer.tryClaim(io.herz.codec.sbe.v2.EventEncoder.TEMPLATE_ID, V2_EVENT_LENGTH);
        new io.herz.codec.sbe.v2.EventEncoder().wrapAndApplyHeader(producer.buffer(), index, v2Header)
            .eventTimeNs(1).value(2.0).keySize((short)1).key("w").weight(0.25);
        producer.commit(index);
        final int eosIndex = producer.tryClaim(io.herz.codec.sbe.v2.EndOfStreamEncoder.TEMPLATE_ID,
            8 + io.herz.codec.sbe.v2.EndOfStreamEncoder.BLOCK_LENGTH);
        new io.herz.codec.sbe.v2.EndOfStreamEncoder().wrapAndApplyHeader(producer.buffer(), eosIndex, v2Header)
            .eventCount(1).lastSequence(0).lastEventTimeNs(1).producerId(9);
        producer.commit(eosIndex);
        final double[] weight = new double[1];
        final long[] eventCount = new long[1];
        final io.herz.codec.sbe.v2.MessageHeaderDecoder header = new io.herz.codec.sbe.v2.MessageHeaderDecoder();
        final io.herz.codec.sbe.v2.EventDecoder v2Decoder = new io.herz.codec.sbe.v2.EventDecoder();
        final EventDispatcher v1Dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEndOfStream(final EndOfStreamDecoder decoder)
            {
                eventCount[0] = decoder.eventCount();
                assertEquals(2, decoder.actingVersion());
            }

            public void onWindowResult(final WindowResultDecoder decoder)
            {
                throw new AssertionError("no window result was published");
            }
        });

        consumer.read((typeId, buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == io.herz.codec.sbe.v2.EventDecoder.TEMPLATE_ID)
            {
                weight[0] = v2Decoder.wrapAndApplyHeader(buffer, offset, header).weight();
            }
            v1Dispatcher.onMessage(typeId, buffer, offset, length);
        });

        assertEquals(0.25, weight[0]);
        assertEquals(1, eventCount[0]);
        assertEquals(2, v1Dispatcher.dispatchedCount());
        assertEquals(0, v1Dispatcher.rejectedCount());
    }
}

package io.herz.codec;

import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WindowKind;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-style round trips with fixed seeds: random values plus edge values, through a real ring in a mapped file.
 */
@Timeout(60)
class EventPublisherRoundTripTest
{
    static final long[] EDGE_LONGS = { Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE };
    static final double[] EDGE_DOUBLES = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL };
    static final String KEY_32 = "abcdefghijklmnopqrstuvwxyz012345";

    @TempDir
    Path dir;

    Segment segment;
    RingProducer producer;
    RingConsumer consumer;
    long clockNs = 1_000;

    @BeforeEach
    void setUp()
    {
        segment = Segment.create(dir.resolve("events.seg"), new SegmentConfig().capacity(64 * 1024));
        producer = new RingProducer(segment, 7);
        consumer = new RingConsumer(segment);
    }

    @AfterEach
    void tearDown()
    {
        consumer.close();
        producer.close();
        segment.close();
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 42, 20261122 })
    void shouldRoundTripRandomAndEdgeEventsWhenPublishedThroughRing(final long seed)
    {
        final Random random = new Random(seed);
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 7, () -> clockNs++);
        final List<Object[]> expected = new ArrayList<>();
        final List<Object[]> actual = new ArrayList<>();
        final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEvent(final EventDecoder decoder)
            {
                actual.add(new Object[]{ decoder.eventTimeNs(), decoderKey(decoder), decoder.value(),
                    decoder.sequence(), decoder.producerId(), decoder.publishTimeNs() });
            }
        });
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[64]);

        for (int i = 0; i < 5_000; i++)
        {
            final long eventTimeNs = i < EDGE_LONGS.length ? EDGE_LONGS[i] : random.nextLong();
            final double value = i < EDGE_DOUBLES.length ? EDGE_DOUBLES[i] : randomDouble(random);
            final String key = i == 0 ? "" : i == 1 ? KEY_32 : randomKey(random);
            final long publishTimeNs = clockNs;
            final int index;
            if ((i & 1) == 0)
            {
                index = publishRetrying(() -> publisher.publishEvent(eventTimeNs, key, value), dispatcher);
            }
            else
            {
                final int keyOffset = random.nextInt(32);
                keyBuffer.putStringWithoutLengthAscii(keyOffset, key);
                index = publishRetrying(
                    () -> publisher.publishEvent(eventTimeNs, keyBuffer, keyOffset, key.length(), value), dispatcher);
            }
            assertTrue(index >= 0);
            expected.add(new Object[]{ eventTimeNs, key, value, (long)i, 7, publishTimeNs });
        }
        drain(dispatcher);

        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            final Object[] e = expected.get(i);
            final Object[] a = actual.get(i);
            assertEquals(e[0], a[0], "eventTimeNs of event " + i);
            assertEquals(e[1], a[1], "key of event " + i);
            assertEquals(Double.doubleToRawLongBits((double)e[2]), Double.doubleToRawLongBits((double)a[2]),
                "value of event " + i);
            assertEquals(e[3], a[3], "sequence of event " + i);
            assertEquals(e[4], a[4], "producerId of event " + i);
            assertTrue((long)a[5] >= (long)e[5], "publishTimeNs of event " + i + " stamped at publish");
        }
        assertEquals(0, dispatcher.rejectedCount());
        assertEquals(5_000, publisher.eventCount());
    }

    @Test
    void shouldRoundTripEndOfStreamWhenNoEventAndAfterEvents()
    {
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 3, () -> 99);
        final List<long[]> actual = new ArrayList<>();
        final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEndOfStream(final EndOfStreamDecoder decoder)
            {
                actual.add(new long[]{ decoder.producerId(), decoder.eventCount(), decoder.lastSequence(),
                    decoder.lastEventTimeNs(), decoder.publishTimeNs() });
            }
        });

        assertTrue(publisher.publishEndOfStream() >= 0);
        publisher.nextSequence(Long.MAX_VALUE - 2);
        assertTrue(publisher.publishEvent(Long.MAX_VALUE, "k", 1.0) >= 0);
        assertTrue(publisher.publishEvent(Long.MIN_VALUE, "k", 1.0) >= 0);
        assertTrue(publisher.publishEndOfStream() >= 0);
        consumer.read(dispatcher);

        assertEquals(2, actual.size());
        assertEquals(List.of(3L, 0L, -1L, Long.MIN_VALUE, 99L), asList(actual.get(0)));
        assertEquals(List.of(3L, 2L, Long.MAX_VALUE - 1, Long.MIN_VALUE, 99L), asList(actual.get(1)));
        assertEquals(4, dispatcher.dispatchedCount());
    }

    @ParameterizedTest
    @ValueSource(longs = { 3, 77, 31337 })
    void shouldReportCountLastSequenceAndLastTimeInEndOfStreamWhenStreamsAreRandom(final long seed)
    {
        final Random random = new Random(seed);
        final List<long[]> expected = new ArrayList<>();
        final List<long[]> actual = new ArrayList<>();
        final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEndOfStream(final EndOfStreamDecoder decoder)
            {
                actual.add(new long[]{ decoder.producerId(), decoder.eventCount(), decoder.lastSequence(),
                    decoder.lastEventTimeNs(), decoder.publishTimeNs() });
            }
        });

        for (int stream = 0; stream < 200; stream++)
        {
            final int producerId = stream % 3 == 0 ? Integer.MIN_VALUE + stream : random.nextInt();
            final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), producerId, () -> clockNs);
            final long first = stream % 5 == 0 ? Long.MAX_VALUE - 100 : (random.nextLong() >>> 1);
            publisher.nextSequence(first);
            final int events = random.nextInt(40);
            long lastTime = Long.MIN_VALUE;
            for (int i = 0; i < events; i++)
            {
                final long time = i == events - 1 && stream % 7 == 0 ? Long.MAX_VALUE : random.nextLong();
                assertTrue(publishRetrying(() -> publisher.publishEvent(time, "", 0.0), dispatcher) >= 0);
                lastTime = time;
            }
            clockNs = random.nextLong();
            assertTrue(publishRetrying(publisher::publishEndOfStream, dispatcher) >= 0);
            expected.add(new long[]{ producerId, events, events == 0 ? first - 1 : first + events - 1, lastTime,
                clockNs });
        }
        drain(dispatcher);

        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(asList(expected.get(i)), asList(actual.get(i)), "end of stream " + i);
        }
        assertEquals(0, dispatcher.rejectedCount());
    }

    @ParameterizedTest
    @ValueSource(longs = { 7, 1234567 })
    void shouldRoundTripRandomAndEdgeWindowResultsWhenPublishedThroughRing(final long seed)
    {
        final Random random = new Random(seed);
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 11, () -> 5);
        final List<String> expected = new ArrayList<>();
        final List<String> actual = new ArrayList<>();
        final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onWindowResult(final WindowResultDecoder d)
            {
                actual.add(d.windowStartNs() + "|" + d.windowEndNs() + "|" + decoderKey(d) + "|" + d.count() + "|" +
                    bits(d.sum()) + "|" + bits(d.min()) + "|" + bits(d.max()) + "|" + bits(d.mean()) + "|" +
                    d.windowKind() + "|" + d.resultKind() + "|" + d.producerId() + "|" + d.publishTimeNs());
            }
        });
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[64]);
        final WindowKind[] kinds = { WindowKind.TUMBLING, WindowKind.SLIDING, WindowKind.SESSION };

        for (int i = 0; i < 2_000; i++)
        {
            final long start = i < EDGE_LONGS.length ? EDGE_LONGS[i] : random.nextLong();
            final long end = i < EDGE_LONGS.length ? EDGE_LONGS[EDGE_LONGS.length - 1 - i] : random.nextLong();
            final long count = i < EDGE_LONGS.length ? EDGE_LONGS[i] : random.nextInt(1_000_000);
            final double sum = i < EDGE_DOUBLES.length ? EDGE_DOUBLES[i] : randomDouble(random);
            final double min = i < EDGE_DOUBLES.length ? EDGE_DOUBLES[EDGE_DOUBLES.length - 1 - i] : randomDouble(random);
            final double max = randomDouble(random);
            final String key = i == 0 ? "" : i == 1 ? KEY_32 : randomKey(random);
            final WindowKind kind = kinds[random.nextInt(kinds.length)];
            final ResultKind resultKind = random.nextBoolean() ? ResultKind.FINAL : ResultKind.UPDATE;
            final int index;
            if ((i & 1) == 0)
            {
                index = publishRetrying(() -> publisher.publishWindowResult(
                    start, end, key, count, sum, min, max, kind, resultKind), dispatcher);
            }
            else
            {
                keyBuffer.putStringWithoutLengthAscii(3, key);
                index = publishRetrying(() -> publisher.publishWindowResult(
                    start, end, keyBuffer, 3, key.length(), count, sum, min, max, count == 0 ? Double.NaN : sum / count,
                    kind, resultKind), dispatcher);
            }
            assertTrue(index >= 0);
            final double mean = count == 0 ? Double.NaN : sum / count;
            expected.add(start + "|" + end + "|" + key + "|" + count + "|" + bits(sum) + "|" + bits(min) + "|" +
                bits(max) + "|" + bits(mean) + "|" + kind + "|" + resultKind + "|11|5");
        }
        drain(dispatcher);

        assertEquals(expected, actual);
        assertEquals(0, dispatcher.rejectedCount());
    }

    @Test
    void shouldReturnBackPressuredWithoutConsumingSequenceWhenRingIsFull()
    {
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 1);
        final long[] sequences = new long[2_000];
        final int[] received = new int[1];
        final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEvent(final EventDecoder decoder)
            {
                sequences[received[0]++] = decoder.sequence();
            }
        });

        int published = 0;
        while (publisher.publishEvent(published, "key", published) >= 0)
        {
            published++;
        }
        final int refused = publisher.publishEvent(-1, "key", -1);
        final long nextAfterRefusal = publisher.nextSequence();
        consumer.read(dispatcher);
        final int accepted = publisher.publishEvent(published, "key", published);
        consumer.read(dispatcher); // the padding before the wrap
        consumer.read(dispatcher); // the event at offset 0

        assertEquals(RingProducer.BACK_PRESSURED, refused);
        assertEquals(published, nextAfterRefusal);
        assertTrue(accepted >= 0);
        assertEquals(published + 1, received[0]);
        for (int i = 0; i <= published; i++)
        {
            assertEquals(i, sequences[i]);
        }
        assertEquals(64 * 1024 / 88, published, "88-byte records fill a 64 KiB ring");
    }

    @Test
    void shouldRejectBadKeysWithoutClaimingWhenKeyIsTooLongOrNotAscii()
    {
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 1);
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[64]);

        final IllegalArgumentException tooLong =
            assertThrows(IllegalArgumentException.class, () -> publisher.publishEvent(1, KEY_32 + "x", 1.0));
        final IllegalArgumentException notAscii =
            assertThrows(IllegalArgumentException.class, () -> publisher.publishEvent(1, "caf\u00e9", 1.0));
        final IllegalArgumentException nul =
            assertThrows(IllegalArgumentException.class, () -> publisher.publishEvent(1, "a\u0000", 1.0));
        final IllegalArgumentException negative =
            assertThrows(IllegalArgumentException.class, () -> publisher.publishEvent(1, keyBuffer, 0, -1, 1.0));
        final int afterwards = publisher.publishEvent(1, "ok", 1.0);

        assertEquals("key length out of range: expected 0..32, found 33", tooLong.getMessage());
        assertEquals("key is not ASCII: expected chars 1..127, found 233 at index 3", notAscii.getMessage());
        assertEquals("key is not ASCII: expected chars 1..127, found 0 at index 1", nul.getMessage());
        assertEquals("key length out of range: expected 0..32, found -1", negative.getMessage());
        assertTrue(afterwards >= 0, "no claim left outstanding by a refused key");
        assertEquals(1, publisher.nextSequence(), "only the accepted event took a sequence");
    }

    @Test
    void shouldAbortTheClaimWhenEncodingThrows()
    {
        final boolean[] fail = { true };
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 1, () ->
        {
            if (fail[0])
            {
                throw new IllegalStateException("clock broke");
            }
            return 42;
        });

        assertEquals("clock broke", assertThrows(IllegalStateException.class,
            () -> publisher.publishEvent(1, "a", 1.0)).getMessage());
        assertEquals("clock broke", assertThrows(IllegalStateException.class,
            publisher::publishEndOfStream).getMessage());
        assertEquals("clock broke", assertThrows(IllegalStateException.class, () -> publisher.publishWindowResult(
            0, 1, "a", 1, 1.0, 1.0, 1.0, WindowKind.TUMBLING, ResultKind.FINAL)).getMessage());
        fail[0] = false;
        final int afterwards = publisher.publishEvent(2, "b", 2.0);
        final List<String> seen = new ArrayList<>();
        consumer.read((typeId, buffer, index, length) -> seen.add(typeId + ":" + length));

        assertTrue(afterwards >= 0, "a failed encode must not leave its claim outstanding");
        assertEquals(List.of("1:" + EventPublisher.EVENT_LENGTH), seen, "aborted claims are never delivered");
        assertEquals(1, publisher.nextSequence(), "a failed publish takes no sequence");
    }

    @Test
    void shouldUseTemplateIdAsRingTypeIdWhenPublishing()
    {
        final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 1);
        final List<String> seen = new ArrayList<>();

        publisher.publishEvent(1, "a", 1.0);
        publisher.publishEndOfStream();
        publisher.publishWindowResult(0, 1, "a", 1, 1.0, 1.0, 1.0, WindowKind.TUMBLING, ResultKind.FINAL);
        consumer.read((typeId, buffer, index, length) -> seen.add(typeId + ":" + length));

        assertEquals(List.of("1:" + EventPublisher.EVENT_LENGTH, "2:" + EventPublisher.END_OF_STREAM_LENGTH,
            "3:" + EventPublisher.WINDOW_RESULT_LENGTH), seen);
        assertEquals(List.of(80, 44, 112), List.of(
            EventPublisher.EVENT_LENGTH, EventPublisher.END_OF_STREAM_LENGTH, EventPublisher.WINDOW_RESULT_LENGTH));
    }

    interface Publish
    {
        int publish();
    }

    int publishRetrying(final Publish publish, final EventDispatcher dispatcher)
    {
        int index = publish.publish();
        for (int attempt = 0; attempt < 4 && index == RingProducer.BACK_PRESSURED; attempt++)
        {
            consumer.read(dispatcher); // reads up to the end of the data area: a wrapped ring needs two reads
            index = publish.publish();
        }
        return index;
    }

    void drain(final EventDispatcher dispatcher)
    {
        while (consumer.lag() > 0)
        {
            consumer.read(dispatcher);
        }
    }

    static String decoderKey(final EventDecoder decoder)
    {
        return keyString(decoder.buffer(), decoder.offset() + EventDecoder.keyEncodingOffset(), decoder.keySize());
    }

    static String decoderKey(final WindowResultDecoder decoder)
    {
        return keyString(
            decoder.buffer(), decoder.offset() + WindowResultDecoder.keyEncodingOffset(), decoder.keySize());
    }

    static String keyString(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        for (int i = length; i < EventPublisher.MAX_KEY_LENGTH; i++)
        {
            assertEquals(0, buffer.getByte(offset + i), "key padding is zero");
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static String randomKey(final Random random)
    {
        final int length = random.nextInt(EventPublisher.MAX_KEY_LENGTH + 1);
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append((char)(1 + random.nextInt(127)));
        }
        return sb.toString();
    }

    static double randomDouble(final Random random)
    {
        return random.nextBoolean() ? random.nextGaussian() * 1e6 : Double.longBitsToDouble(random.nextLong());
    }

    static long bits(final double value)
    {
        return Double.doubleToRawLongBits(value);
    }

    static List<Long> asList(final long[] values)
    {
        final List<Long> list = new ArrayList<>();
        for (final long v : values)
        {
            list.add(v);
        }
        return list;
    }
}

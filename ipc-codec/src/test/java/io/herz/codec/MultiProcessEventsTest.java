package io.herz.codec;

import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer JVM publishes 5 million Events through a ring in a mapped file; a consumer JVM decodes them all in place
 * and checks count, sum of values, per-producer sequence and event times; this test asserts what the consumer found.
 */
@Timeout(300)
class MultiProcessEventsTest
{
    static final long EVENTS = 5_000_000;
    static final int PRODUCER_ID = 42;
    static final long BASE_TIME_NS = 1_700_000_000_000_000_000L;
    static final Pattern RESULT = Pattern.compile(
        "RESULT events=(\\d+) sum=(\\d+) sequenceErrors=(\\d+) timeErrors=(\\d+) keyErrors=(\\d+) rejected=(\\d+) " +
        "endOfStreamCount=(\\d+) lastSequence=(-?\\d+) lastEventTimeNs=(-?\\d+) maxLatencyNs=(-?\\d+)");

    @TempDir
    Path dir;

    final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldDeliverFiveMillionEventsInOrderWhenProducerAndConsumerAreSeparateJvms() throws Exception
    {
        final Path ring = dir.resolve("events.seg");
        try (Segment segment = Segment.create(ring, config()))
        {
            final ChildJvm consumer = start("codec-consumer", ConsumerMain.class, segment.path().toString());
            final ChildJvm producer = start("codec-producer", ProducerMain.class, segment.path().toString());

            producer.awaitSuccess(240_000);
            consumer.awaitSuccess(60_000);

            final Matcher result = RESULT.matcher(consumer.log());
            assertTrue(result.find(), consumer::logTail);
            final long expectedSum = (EVENTS / 1000) * (999 * 1000 / 2);
            assertEquals(EVENTS, Long.parseLong(result.group(1)), "events");
            assertEquals(expectedSum, Long.parseLong(result.group(2)), "sum of values");
            assertEquals(0, Long.parseLong(result.group(3)), "sequence errors");
            assertEquals(0, Long.parseLong(result.group(4)), "event time errors");
            assertEquals(0, Long.parseLong(result.group(5)), "key errors");
            assertEquals(0, Long.parseLong(result.group(6)), "rejected records");
            assertEquals(EVENTS, Long.parseLong(result.group(7)), "EndOfStream event count");
            assertEquals(EVENTS - 1, Long.parseLong(result.group(8)), "EndOfStream last sequence");
            assertEquals(BASE_TIME_NS + EVENTS - 1, Long.parseLong(result.group(9)), "EndOfStream last event time");
            assertTrue(Long.parseLong(result.group(10)) >= 0, "publish time stamped before the consumer saw it");
        }
    }

    ChildJvm start(final String name, final Class<?> main, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, main, args);
        children.add(child);
        return child;
    }

    static SegmentConfig config()
    {
        return new SegmentConfig().capacity(1024 * 1024);
    }

    /** Publishes EVENTS events then its EndOfStream. */
    static final class ProducerMain
    {
        public static void main(final String[] args)
        {
            try (Segment segment = Segment.open(Path.of(args[0]), config());
                RingProducer producer = new RingProducer(segment, PRODUCER_ID))
            {
                final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), PRODUCER_ID);
                final IdleStrategy idle = new BackoffIdleStrategy();
                final StringBuilder key = new StringBuilder(16);
                for (long i = 0; i < EVENTS; i++)
                {
                    key.setLength(0);
                    key.append("sensor-").append(i & 15);
                    idle.reset();
                    while (publisher.publishEvent(BASE_TIME_NS + i, key, i % 1000) < 0)
                    {
                        idle.idle();
                    }
                }
                idle.reset();
                while (publisher.publishEndOfStream() < 0)
                {
                    idle.idle();
                }
                System.out.println("published " + publisher.eventCount() + " back-pressured " +
                    producer.backPressureCount());
            }
        }
    }

    /** Reads until the producer's EndOfStream, checking every event, then prints one RESULT line. */
    static final class ConsumerMain implements EventHandler
    {
        long events;
        long sum;
        long nextSequence;
        long sequenceErrors;
        long timeErrors;
        long keyErrors;
        long endOfStreamCount = -1;
        long lastSequence;
        long lastEventTimeNs;
        long maxLatencyNs = Long.MIN_VALUE;
        boolean done;
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();

        public void onEvent(final EventDecoder decoder)
        {
            final long sequence = decoder.sequence();
            if (sequence != nextSequence || decoder.producerId() != PRODUCER_ID)
            {
                sequenceErrors++;
            }
            nextSequence = sequence + 1;
            if (decoder.eventTimeNs() != BASE_TIME_NS + sequence)
            {
                timeErrors++;
            }
            final int keyOffset = decoder.offset() + EventDecoder.keyEncodingOffset();
            final long suffix = sequence & 15;
            final int expectedKeySize = suffix < 10 ? 8 : 9;
            if (decoder.keySize() != expectedKeySize || decoder.buffer().getByte(keyOffset) != 's' ||
                decoder.buffer().getByte(keyOffset + expectedKeySize - 1) != (byte)('0' + suffix % 10))
            {
                keyErrors++;
            }
            if ((sequence & 0xFFFF) == 0)
            {
                maxLatencyNs = Math.max(maxLatencyNs, clock.nanoTime() - decoder.publishTimeNs());
            }
            sum += (long)decoder.value();
            events++;
        }

        public void onEndOfStream(final EndOfStreamDecoder decoder)
        {
            endOfStreamCount = decoder.eventCount();
            lastSequence = decoder.lastSequence();
            lastEventTimeNs = decoder.lastEventTimeNs();
            done = true;
        }

        public static void main(final String[] args)
        {
            final ConsumerMain main = new ConsumerMain();
            try (Segment segment = Segment.open(Path.of(args[0]), config());
                RingConsumer consumer = new RingConsumer(segment))
            {
                final EventDispatcher dispatcher = new EventDispatcher(main);
                final IdleStrategy idle = new BackoffIdleStrategy(
                    1, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
                final long deadlineNs = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!main.done && System.nanoTime() - deadlineNs < 0)
                {
                    idle.idle(consumer.read(dispatcher, 1024));
                }
                System.out.println("RESULT events=" + main.events + " sum=" + main.sum + " sequenceErrors=" +
                    main.sequenceErrors + " timeErrors=" + main.timeErrors + " keyErrors=" + main.keyErrors +
                    " rejected=" + dispatcher.rejectedCount() + " endOfStreamCount=" + main.endOfStreamCount +
                    " lastSequence=" + main.lastSequence + " lastEventTimeNs=" + main.lastEventTimeNs +
                    " maxLatencyNs=" + main.maxLatencyNs);
                System.out.println(dispatcher.report());
            }
        }
    }
}

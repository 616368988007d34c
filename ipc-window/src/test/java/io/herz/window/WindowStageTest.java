package io.herz.window;

import io.herz.ipc.transport.shm.ShmBatchPublication;
import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.ipc.transport.shm.ShmSubscription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.herz.window.stage.WindowStage;
import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.herz.ipc.test.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WindowStage} over real mapped rings: events in, WindowResults out through an output ring so small that the
 * stage must wait for a slow reader (nothing may be lost), late events to a late ring, end of stream forwarded.
 */
@Timeout(60)
class WindowStageTest
{
    private static final int PRODUCER_ID = 7;
    private static final int STAGE_ID = 99;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Thread reader;

    @AfterEach
    void close() throws Exception
    {
        if (null != reader)
        {
            reader.interrupt();
            reader.join(5_000);
        }
        Collections.reverse(closeables);
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
    }

    @Test
    void shouldPublishEveryResultWhenOutputRingIsBackPressured() throws Exception
    {
        runWithSlowReader(0);
    }

    @Test
    void shouldPublishEveryResultThroughABatchingOutputWhenBackPressured() throws Exception
    {
        runWithSlowReader(1024);
    }

    @Test
    void shouldDeliverTheResultsOfADutyCycleThroughABatchingOutputBeforeItGoesIdle() throws Exception
    {
        final Segment input = track(Segment.create(dir.resolve("in.ring"), new SegmentConfig().capacity(64 * 1024)));
        final Segment output = track(Segment.create(dir.resolve("out.ring"), new SegmentConfig().capacity(64 * 1024)));
        final EventPublisher source = new EventPublisher(
            new ShmPublication(track(new RingProducer(input, PRODUCER_ID))), PRODUCER_ID);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(source.publishEvent(i * 10_000_000L, "key-" + i, i) >= 0); // each event closes a window
        }
        final WindowStage stage = new WindowStage(
            new ShmSubscription(track(new RingConsumer(input))),
            new EventPublisher(track(new ShmBatchPublication("out", new RingProducer(output, STAGE_ID), 4096)),
                STAGE_ID),
            null,
            new AggregatorConfig().window(WindowSpec.parse("tumbling:10ms")),
            new YieldingIdleStrategy(),
            new SystemNanoClock());
        final Collector results = new Collector();

        assertEquals(10, stage.doWork());

        try (RingConsumer consumer = new RingConsumer(output))
        {
            consumer.read(new EventDispatcher(results));
        }
        assertEquals(9, results.results.size(), "every window the cycle closed, visible once doWork returned");
        assertEquals(9, stage.resultCount());
    }

    private void runWithSlowReader(final int outputBatchBytes) throws Exception
    {
        final Segment input = track(Segment.create(dir.resolve("in.ring"), new SegmentConfig().capacity(64 * 1024)));
        final Segment output = track(Segment.create(dir.resolve("out.ring"), new SegmentConfig().capacity(4096)));
        final Segment late = track(Segment.create(dir.resolve("late.ring"), new SegmentConfig().capacity(4096)));
        final EventPublisher source = new EventPublisher(new ShmPublication(track(new RingProducer(input, PRODUCER_ID))), PRODUCER_ID);
        final ReferenceWindowing reference = new ReferenceWindowing(
            WindowSpec.parse("tumbling:10ms"), 0, 0, AggregatorConfig.NO_IDLE_TIMEOUT, 0);
        final List<WindowResult> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            final long eventTimeNs = (i / 100) * 10_000_000L + i;
            final String key = "key-" + (i % 100);
            assertTrue(source.publishEvent(eventTimeNs, key, i) >= 0);
            expected.addAll(reference.onEvent(PRODUCER_ID, eventTimeNs, key, i, 0));
        }
        assertTrue(source.publishEvent(5, "key-late", 1.5) >= 0);
        expected.addAll(reference.onEvent(PRODUCER_ID, 5, "key-late", 1.5, 0));
        assertTrue(source.publishEndOfStream() >= 0);
        expected.addAll(reference.onEndOfStream(PRODUCER_ID, 0));

        final Collector results = new Collector();
        final Collector lateEvents = new Collector();
        final AtomicBoolean readerDone = new AtomicBoolean();
        reader = new Thread(() -> readSlowly(output, late, results, lateEvents, readerDone), "slow-reader");
        reader.start();
        final WindowStage stage = new WindowStage(
            new ShmSubscription(track(new RingConsumer(input))),
            new EventPublisher(outputBatchBytes == 0 ?
                new ShmPublication(track(new RingProducer(output, STAGE_ID))) :
                track(new ShmBatchPublication("out", new RingProducer(output, STAGE_ID), outputBatchBytes)), STAGE_ID),
            new EventPublisher(new ShmPublication(track(new RingProducer(late, STAGE_ID))), STAGE_ID),
            new AggregatorConfig().window(WindowSpec.parse("tumbling:10ms")),
            new YieldingIdleStrategy(),
            new SystemNanoClock());

        while (!stage.isDone())
        {
            stage.doWork();
        }
        await(readerDone::get, 30_000, "reader did not see both ends of stream");

        final List<WindowResult> received = new ArrayList<>(results.results);
        received.sort(WindowResult.ORDER);
        expected.sort(WindowResult.ORDER);
        assertEquals(expected, received);
        assertEquals(300, expected.size());
        assertEquals(List.of(new WindowResult(5, 5, "key-late", 1, 1.5, 1.5, 1.5, 1.5, false)),
            lateEvents.results);
        assertEquals(1, stage.aggregator().lateEventCount());
        assertEquals(expected.size(), stage.resultCount());
        assertTrue(stage.backPressureCount() > 0, "the 4 KiB output ring never filled");
        assertEquals(0, stage.dispatcher().rejectedCount());
    }

    private Segment track(final Segment segment)
    {
        closeables.add(segment);
        return segment;
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    private static void readSlowly(
        final Segment output,
        final Segment late,
        final Collector results,
        final Collector lateEvents,
        final AtomicBoolean done)
    {
        try (RingConsumer resultConsumer = new RingConsumer(output);
            RingConsumer lateConsumer = new RingConsumer(late))
        {
            final EventDispatcher resultDispatcher = new EventDispatcher(results);
            final EventDispatcher lateDispatcher = new EventDispatcher(lateEvents);
            final BusySpinIdleStrategy idle = new BusySpinIdleStrategy();
            while (!(results.ended && lateEvents.ended) && !Thread.currentThread().isInterrupted())
            {
                final int work = resultConsumer.read(resultDispatcher, 3) + lateConsumer.read(lateDispatcher, 3);
                idle.idle(work);
                Thread.yield();
            }
            done.set(results.ended && lateEvents.ended);
        }
    }

    /**
     * Collects WindowResults (and, for the late ring, Events as one-event results at their time).
     */
    private static final class Collector implements EventHandler
    {
        final List<WindowResult> results = new ArrayList<>();
        volatile boolean ended;

        public void onWindowResult(final WindowResultDecoder decoder)
        {
            results.add(new WindowResult(decoder.windowStartNs(), decoder.windowEndNs(), key(decoder.buffer(),
                decoder.offset() + WindowResultDecoder.keyEncodingOffset(), decoder.keySize()), decoder.count(),
                decoder.sum(), decoder.min(), decoder.max(), decoder.mean(),
                decoder.resultKind() == ResultKind.UPDATE));
            assertEquals(STAGE_ID, decoder.producerId());
        }

        public void onEvent(final EventDecoder decoder)
        {
            results.add(new WindowResult(decoder.eventTimeNs(), decoder.eventTimeNs(), key(decoder.buffer(),
                decoder.offset() + EventDecoder.keyEncodingOffset(), decoder.keySize()), 1, decoder.value(),
                decoder.value(), decoder.value(), decoder.value(), false));
        }

        public void onEndOfStream(final EndOfStreamDecoder decoder)
        {
            ended = true;
        }

        private static String key(final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            return buffer.getStringWithoutLengthAscii(offset, length);
        }
    }
}

package io.herz.window.stage;

import io.herz.window.AggregatorConfig;
import io.herz.window.WindowAggregator;
import io.herz.window.WindowKind;
import io.herz.window.WindowOutput;
import io.herz.window.WindowSpec;
import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WatermarkDecoder;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.ipc.transport.Subscription;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.function.LongConsumer;

/**
 * The aggregation stage as an Agrona {@link Agent} (its input and output sides are inner classes): reads Events and EndOfStream messages from an input ring
 * through an {@link EventDispatcher}, feeds them to a {@link WindowAggregator}, and publishes every result as a
 * WindowResult (FINAL or UPDATE) into an output ring through an {@link EventPublisher}. Late events go, as Events,
 * to an optional late-events ring. When the aggregator ends, an EndOfStream follows on the output (and late) ring
 * and {@link #isDone()} turns true.
 * <p>
 * Each duty cycle ends with {@link EventPublisher#flush()} on the output (and late) publisher, so an output
 * publication that batches ({@code PublicationOptions.batchBytes}) pays one ring claim and commit per batch of
 * results and still delivers everything a cycle published before the stage goes idle.
 * <p>
 * Nothing is lost to back-pressure: a full output ring makes the stage retry the same result with the given idle
 * strategy until it fits, which in turn back-pressures the input. When the input is empty, {@link #doWork()} lets
 * processing time pass in the aggregator (idle producers). Processing time is read once per duty cycle from the
 * clock. Records rejected by the dispatcher and WindowResults arriving on the input are counted, never thrown.
 * Watermark messages (a producer's progress broadcast to every partition) advance that producer's watermark.
 * <p>
 * <b>Merge</b>: a stage may read several inputs, polled in turn. Watermarks are kept per input: with more than one
 * input, the engine sees each (input, producer id) pair as a producer of its own, so the same producer id on two
 * inputs (two upstream stages that both publish as 0, say) never mixes their progress, and the stage's watermark
 * is the minimum over every input's producers. End of stream counts over all inputs.
 * Not thread-safe: one thread runs it.
 */
public final class WindowStage implements Agent
{
    /**
     * Records read from the input per duty cycle.
     */
    public static final int READ_LIMIT = 4096;

    private final Subscription[] inputs;
    private final Long2LongHashMap engineProducerIds;
    private int inputIndex;
    private final EventPublisher output;
    private final EventPublisher lateOutput;
    private final IdleStrategy backPressureIdle;
    private final NanoClock clock;
    private final EventDispatcher dispatcher;
    private final WindowAggregator aggregator;
    private final io.herz.codec.sbe.WindowKind windowKind;
    private long nowNs;
    private long resultCount;
    private long updateCount;
    private long backPressureCount;
    private long unexpectedResultCount;
    private boolean done;
    private LongConsumer publishTimeObserver;

    /**
     * Create a stage.
     *
     * @param input            the subscription to the input stream; the caller owns and closes it.
     * @param output           publishes WindowResults and the final EndOfStream on the output ring.
     * @param lateOutput       publishes late events as Events, or null to only count them.
     * @param config           the windowing settings.
     * @param backPressureIdle how to wait while an output ring is full.
     * @param clock            processing time, for idle producers.
     */
    public WindowStage(
        final Subscription input,
        final EventPublisher output,
        final EventPublisher lateOutput,
        final AggregatorConfig config,
        final IdleStrategy backPressureIdle,
        final NanoClock clock)
    {
        this(new Subscription[]{ input }, output, lateOutput, config, backPressureIdle, clock);
    }

    /**
     * Create a stage reading several inputs (a merge), with per-input watermarks.
     *
     * @param inputs           the subscriptions, at least one; the caller owns and closes them.
     * @param output           publishes WindowResults and the final EndOfStream on the output ring.
     * @param lateOutput       publishes late events as Events, or null to only count them.
     * @param config           the windowing settings.
     * @param backPressureIdle how to wait while an output ring is full.
     * @param clock            processing time, for idle producers.
     * @throws IllegalArgumentException with no input.
     */
    public WindowStage(
        final Subscription[] inputs,
        final EventPublisher output,
        final EventPublisher lateOutput,
        final AggregatorConfig config,
        final IdleStrategy backPressureIdle,
        final NanoClock clock)
    {
        if (inputs.length == 0)
        {
            throw new IllegalArgumentException("window stage inputs: expected at least one, found none");
        }
        this.inputs = inputs.clone();
        this.engineProducerIds = inputs.length > 1 ? new Long2LongHashMap(-1) : null;
        this.output = output;
        this.lateOutput = lateOutput;
        this.backPressureIdle = backPressureIdle;
        this.clock = clock;
        this.dispatcher = new EventDispatcher(new Input());
        this.aggregator = new WindowAggregator(config, new Output());
        this.windowKind = sbeKind(config.window().kind());
        this.nowNs = clock.nanoTime();
    }

    /**
     * Observe each event's publish time (epoch ns, as stamped by its producer) as it reaches the stage, e.g. to
     * record publish-to-update latency. Called on the stage's thread before the event updates its windows; must not
     * allocate.
     *
     * @param observer gets {@code publishTimeNs}; null for none.
     * @return this.
     */
    public WindowStage publishTimeObserver(final LongConsumer observer)
    {
        this.publishTimeObserver = observer;
        return this;
    }

    /**
     * Read a batch from the input and process it; with no input, let processing time pass. Then flush the outputs.
     *
     * @return the number of records read plus results emitted by the passing of time.
     */
    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        int readCount = 0;
        final Subscription[] inputs = this.inputs;
        for (int i = 0; i < inputs.length && !done; i++)
        {
            inputIndex = i;
            readCount += inputs[i].poll(dispatcher, READ_LIMIT);
        }

        final int work = 0 == readCount && !done ? aggregator.poll(nowNs) : readCount;
        // end of the duty cycle, before the caller may go idle: a batching output delivers what this cycle published
        output.flush();
        if (null != lateOutput)
        {
            lateOutput.flush();
        }
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "window-stage";
    }

    /**
     * Whether every producer has ended and the stage has flushed and forwarded end of stream.
     *
     * @return true when there is nothing more to do.
     */
    public boolean isDone()
    {
        return done;
    }

    /**
     * The engine, for its counters.
     *
     * @return the aggregator.
     */
    public WindowAggregator aggregator()
    {
        return aggregator;
    }

    /**
     * The input's dispatcher, for its reject counters and report.
     *
     * @return the dispatcher.
     */
    public EventDispatcher dispatcher()
    {
        return dispatcher;
    }

    /**
     * WindowResults published.
     *
     * @return the count, updates included.
     */
    public long resultCount()
    {
        return resultCount;
    }

    /**
     * WindowResults published as updates.
     *
     * @return the count.
     */
    public long updateCount()
    {
        return updateCount;
    }

    /**
     * Times a publish found an output ring full and waited.
     *
     * @return the count.
     */
    public long backPressureCount()
    {
        return backPressureCount;
    }

    /**
     * WindowResults that arrived on the input and were ignored.
     *
     * @return the count.
     */
    public long unexpectedResultCount()
    {
        return unexpectedResultCount;
    }

    /**
     * A one-line summary of the counters.
     *
     * @return the summary.
     */
    public String summary()
    {
        return "events=" + aggregator.eventCount() + " results=" + resultCount + " updates=" + updateCount +
            " late=" + aggregator.lateEventCount() + " lateWindowDrops=" + aggregator.lateWindowDropCount() +
            " keys=" + aggregator.keys().size() + " producersEnded=" + aggregator.finishedProducerCount() + "/" +
            aggregator.producerCount() + " rejected=" + dispatcher.rejectedCount() + " backPressured=" +
            backPressureCount + " ignoredResults=" + unexpectedResultCount;
    }

    private void publishEndOfStream(final EventPublisher publisher)
    {
        final IdleStrategy idle = backPressureIdle;
        idle.reset();
        while (publisher.publishEndOfStream() < 0)
        {
            backPressureCount++;
            idle.idle();
        }
    }

    private static io.herz.codec.sbe.WindowKind sbeKind(final WindowKind kind)
    {
        switch (kind)
        {
            case TUMBLING:
                return io.herz.codec.sbe.WindowKind.TUMBLING;
            case SLIDING:
                return io.herz.codec.sbe.WindowKind.SLIDING;
            default:
                return io.herz.codec.sbe.WindowKind.SESSION;
        }
    }

    /**
     * The producer id the engine knows a sender by: its own with one input; with several, one id per (input,
     * producer id) pair, numbered in order of first sight (allocates only then).
     */
    private int engineProducerId(final int producerId)
    {
        final Long2LongHashMap ids = engineProducerIds;
        if (null == ids)
        {
            return producerId;
        }
        final long pair = ((long)inputIndex << 32) | (producerId & 0xFFFF_FFFFL);
        long id = ids.get(pair);
        if (-1 == id)
        {
            id = ids.size();
            ids.put(pair, id);
        }
        return (int)id;
    }

    /**
     * The input side: decoded records from the subscription into the aggregator.
     */
    private final class Input implements EventHandler
    {
        /**
         * {@inheritDoc}
         */
        public void onEvent(final EventDecoder decoder)
        {
            if (null != publishTimeObserver)
            {
                publishTimeObserver.accept(decoder.publishTimeNs());
            }
            aggregator.onEvent(
                engineProducerId(decoder.producerId()),
                decoder.eventTimeNs(),
                decoder.buffer(),
                decoder.offset() + EventDecoder.keyEncodingOffset(),
                decoder.keySize(),
                decoder.value(),
                nowNs);
        }

        /**
         * {@inheritDoc}
         */
        public void onEndOfStream(final EndOfStreamDecoder decoder)
        {
            aggregator.onEndOfStream(engineProducerId(decoder.producerId()), nowNs);
        }

        /**
         * {@inheritDoc}
         */
        public void onWatermark(final WatermarkDecoder decoder)
        {
            aggregator.onWatermark(engineProducerId(decoder.producerId()), decoder.eventTimeNs(), nowNs);
        }

        /**
         * {@inheritDoc}
         */
        public void onWindowResult(final WindowResultDecoder decoder)
        {
            unexpectedResultCount++;
        }
    }

    /**
     * The output side: the aggregator's windows and late events to the output streams.
     */
    private final class Output implements WindowOutput
    {
        /**
         * {@inheritDoc}
         */
        public void onWindow(
            final long startNs,
            final long endNs,
            final int keyId,
            final DirectBuffer keyBuffer,
            final int keyOffset,
            final int keyLength,
            final long count,
            final double sum,
            final double min,
            final double max,
            final double mean,
            final boolean isUpdate)
        {
            final ResultKind resultKind = isUpdate ? ResultKind.UPDATE : ResultKind.FINAL;
            final IdleStrategy idle = backPressureIdle;
            idle.reset();
            while (output.publishWindowResult(
                startNs, endNs, keyBuffer, keyOffset, keyLength, count, sum, min, max, mean, windowKind, resultKind) < 0)
            {
                backPressureCount++;
                idle.idle();
            }
            resultCount++;
            if (isUpdate)
            {
                updateCount++;
            }
        }

        /**
         * {@inheritDoc}
         */
        public void onLate(
            final int producerId,
            final long eventTimeNs,
            final int keyId,
            final DirectBuffer keyBuffer,
            final int keyOffset,
            final int keyLength,
            final double value,
            final int droppedWindowCount)
        {
            if (null != lateOutput)
            {
                final IdleStrategy idle = backPressureIdle;
                idle.reset();
                while (lateOutput.publishEvent(eventTimeNs, keyBuffer, keyOffset, keyLength, value) < 0)
                {
                    backPressureCount++;
                    idle.idle();
                }
            }
        }

        /**
         * {@inheritDoc}
         */
        public void onEndOfStream()
        {
            publishEndOfStream(output);
            if (null != lateOutput)
            {
                publishEndOfStream(lateOutput);
            }
            done = true;
        }
    }
}

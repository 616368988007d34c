package io.herz.window;

import org.agrona.DirectBuffer;

/**
 * The event-time windowing engine of the aggregation stage, with Apache Flink's semantics:
 * <ul>
 *     <li><b>Assignment</b>: see {@link WindowSpec}; aggregates per key and window are count, sum, min, max and
 *     mean of the events' values.</li>
 *     <li><b>Watermark</b>: per producer, its highest event time minus the out-of-orderness; the stage's watermark
 *     is the minimum over producers that have not sent end of stream and have not been idle (silent for longer
 *     than the idle timeout, in the processing time callers pass as {@code nowNs}) - an idle producer holds it
 *     back again once it sends. With a producer count configured, producers not seen yet hold it at its start
 *     until they appear or the idle timeout (counted from the first call) passes. It never decreases, and stays
 *     put while no producer holds it back.</li>
 *     <li><b>Emission</b>: a window is emitted once, when the watermark reaches its end ({@code watermark >= end}).
 *     </li>
 *     <li><b>Lateness</b>: an event for an emitted window arriving while {@code watermark < end + allowedLateness}
 *     updates it and re-emits it at once, flagged as an update; an event arriving when
 *     {@code watermark >= end + allowedLateness} is dropped from that window, counted, and handed to
 *     {@link WindowOutput#onLate}. A window that had no events before then gets its first result at once.</li>
 *     <li><b>End of stream</b>: when the configured number of producers (or, with none configured, every producer
 *     that has published) has sent end of stream, every window not yet emitted is emitted in order of end and
 *     then {@link WindowOutput#onEndOfStream()} is called; later calls are ignored.</li>
 * </ul>
 * Each event is assigned with the watermark as it was when the event arrived; then the producer's watermark
 * moves, and windows the stage's watermark now reaches are emitted. Results are emitted in order of window end
 * as the watermark advances; results with equal ends come in no particular order.
 * <p>
 * The steady state allocates nothing (first sight of a key or producer, and growth past a previous high-water
 * mark, do). Not thread-safe: one thread drives it. Event times must stay a window size away from
 * {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}; values should be finite.
 */
public final class WindowAggregator
{
    private final AggregatorConfig config;
    private final WindowOutput output;
    private final KeyTable keys = new KeyTable();
    private final WatermarkTracker watermarks;
    private final WindowStore store;
    private boolean ended;
    private long eventCount;
    private long lateEventCount;
    private long lateWindowDropCount;
    private long ignoredAfterEndCount;

    /**
     * Create an engine.
     *
     * @param config the settings; concluded here if not already.
     * @param output receives results, late events and the end of stream.
     */
    public WindowAggregator(final AggregatorConfig config, final WindowOutput output)
    {
        this.config = config.conclude();
        this.output = output;
        this.watermarks = new WatermarkTracker(
            config.outOfOrdernessNs(), config.idleTimeoutNs(), config.producerCount());
        this.store = newStore(config.window(), config.allowedLatenessNs(), keys, output);
    }

    private static WindowStore newStore(
        final WindowSpec spec, final long allowedLatenessNs, final KeyTable keys, final WindowOutput output)
    {
        switch (spec.kind())
        {
            case SESSION:
                return new SessionWindows(spec, allowedLatenessNs, keys, output);
            case SLIDING:
                return new SlicedWindows(spec, allowedLatenessNs, keys, output); // one update per event (panes)
            default:
                return new AlignedWindows(spec, allowedLatenessNs, keys, output);
        }
    }

    /**
     * An event whose key is given as bytes; the key is interned (see {@link KeyTable}).
     *
     * @param producerId  the producer that sent it.
     * @param eventTimeNs its event time.
     * @param keyBuffer   holding the key.
     * @param keyOffset   where the key starts.
     * @param keyLength   the key's length, at most {@link KeyTable#MAX_KEY_LENGTH}.
     * @param value       its value.
     * @param nowNs       processing time now, e.g. {@link System#nanoTime()}.
     * @return the number of results emitted during the call.
     * @throws IllegalArgumentException if the key is too long.
     */
    public int onEvent(
        final int producerId,
        final long eventTimeNs,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final double value,
        final long nowNs)
    {
        return onEvent(producerId, eventTimeNs, keys.intern(keyBuffer, keyOffset, keyLength), value, nowNs);
    }

    /**
     * An event whose key was interned with {@link #keys()}.
     *
     * @param producerId  the producer that sent it.
     * @param eventTimeNs its event time.
     * @param keyId       the key's id from {@link #keys()}.
     * @param value       its value.
     * @param nowNs       processing time now.
     * @return the number of results emitted during the call.
     */
    public int onEvent(
        final int producerId, final long eventTimeNs, final int keyId, final double value, final long nowNs)
    {
        if (ended)
        {
            ignoredAfterEndCount++;
            return 0;
        }
        eventCount++;

        final WatermarkTracker watermarks = this.watermarks;
        final int producerIndex = watermarks.touch(producerId, nowNs);
        final long watermarkNs = watermarks.watermarkNs();
        final int droppedCount = store.onEvent(keyId, eventTimeNs, value, watermarkNs);
        if (droppedCount > 0)
        {
            lateEventCount++;
            lateWindowDropCount += droppedCount;
            final KeyTable keys = this.keys;
            output.onLate(
                producerId,
                eventTimeNs,
                keyId,
                keys.buffer(),
                keys.offset(keyId),
                keys.length(keyId),
                value,
                droppedCount);
        }

        watermarks.observe(producerIndex, eventTimeNs);
        final long newWatermarkNs = watermarks.advance(nowNs);

        return newWatermarkNs > watermarkNs ? store.advanceTo(newWatermarkNs) : 0;
    }

    /**
     * A producer sent end of stream. When it completes the stage, every open window is emitted and the output's
     * end of stream follows.
     *
     * @param producerId the producer.
     * @param nowNs      processing time now.
     * @return the number of results emitted during the call.
     */
    public int onEndOfStream(final int producerId, final long nowNs)
    {
        if (ended)
        {
            return 0;
        }

        final WatermarkTracker watermarks = this.watermarks;
        final long watermarkNs = watermarks.watermarkNs();
        if (watermarks.finish(producerId, nowNs))
        {
            watermarks.complete();
            final int emittedCount = store.advanceTo(Long.MAX_VALUE);
            ended = true;
            output.onEndOfStream();
            return emittedCount;
        }

        final long newWatermarkNs = watermarks.advance(nowNs);
        return newWatermarkNs > watermarkNs ? store.advanceTo(newWatermarkNs) : 0;
    }

    /**
     * A producer reported its event-time progress without an event (a Watermark broadcast to every partition of a
     * partitioned stream): it is active, and its watermark becomes at least {@code eventTimeNs} minus the
     * out-of-orderness, exactly as if it had sent an event at {@code eventTimeNs} that belongs to no window. A
     * producer not seen before is registered, so a partition that none of its events reach still waits for it.
     *
     * @param producerId  the producer.
     * @param eventTimeNs the highest event time the producer has published anywhere, {@link Long#MIN_VALUE} if none.
     * @param nowNs       processing time now.
     * @return the number of results emitted during the call.
     */
    public int onWatermark(final int producerId, final long eventTimeNs, final long nowNs)
    {
        if (ended)
        {
            return 0;
        }

        final WatermarkTracker watermarks = this.watermarks;
        final long watermarkNs = watermarks.watermarkNs();
        watermarks.observe(watermarks.touch(producerId, nowNs), eventTimeNs);
        final long newWatermarkNs = watermarks.advance(nowNs);

        return newWatermarkNs > watermarkNs ? store.advanceTo(newWatermarkNs) : 0;
    }

    /**
     * Let processing time pass with no message: producers silent beyond the idle timeout stop holding the
     * watermark back, which may emit windows. Call it from the duty cycle when there is no input.
     *
     * @param nowNs processing time now.
     * @return the number of results emitted.
     */
    public int poll(final long nowNs)
    {
        if (ended)
        {
            return 0;
        }

        final long watermarkNs = watermarks.watermarkNs();
        final long newWatermarkNs = watermarks.advance(nowNs);

        return newWatermarkNs > watermarkNs ? store.advanceTo(newWatermarkNs) : 0;
    }

    /**
     * The interned keys; ids in results index it.
     *
     * @return the key table.
     */
    public KeyTable keys()
    {
        return keys;
    }

    /**
     * The settings.
     *
     * @return the concluded config.
     */
    public AggregatorConfig config()
    {
        return config;
    }

    /**
     * The stage's watermark.
     *
     * @return event time, {@link Long#MIN_VALUE} before any, {@link Long#MAX_VALUE} after end of stream.
     */
    public long watermarkNs()
    {
        return watermarks.watermarkNs();
    }

    /**
     * Whether the stage has ended.
     *
     * @return true after the output's end of stream.
     */
    public boolean isEnded()
    {
        return ended;
    }

    /**
     * Events accepted for processing (before end of stream), late or not.
     *
     * @return the count.
     */
    public long eventCount()
    {
        return eventCount;
    }

    /**
     * Events dropped from at least one of their windows as too late.
     *
     * @return the count.
     */
    public long lateEventCount()
    {
        return lateEventCount;
    }

    /**
     * (event, window) pairs dropped as too late; differs from {@link #lateEventCount()} for sliding windows.
     *
     * @return the count.
     */
    public long lateWindowDropCount()
    {
        return lateWindowDropCount;
    }

    /**
     * Events that arrived after the stage ended and were ignored.
     *
     * @return the count.
     */
    public long ignoredAfterEndCount()
    {
        return ignoredAfterEndCount;
    }

    /**
     * The number of (key, window) states held.
     *
     * @return the count.
     */
    public int openWindowCount()
    {
        return store.openWindowCount();
    }

    /**
     * The number of producers seen.
     *
     * @return the count.
     */
    public int producerCount()
    {
        return watermarks.producerCount();
    }

    /**
     * The number of producers that sent end of stream.
     *
     * @return the count.
     */
    public int finishedProducerCount()
    {
        return watermarks.finishedCount();
    }
}

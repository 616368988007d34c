package io.herz.codec;

import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.WatermarkDecoder;
import io.herz.codec.sbe.WindowResultDecoder;

/**
 * Typed callbacks of an {@link EventDispatcher}. Each decoder is wrapped in place on the ring record with the
 * writer's acting block length and version, and is valid only during the call: copy out what must outlive it.
 * The key bytes of an event are {@code decoder.buffer()} from {@code decoder.offset() +
 * EventDecoder.keyEncodingOffset()}, {@code decoder.keySize()} long; the dispatcher has checked that {@code keySize}
 * is at most 32. Every method defaults to doing nothing.
 */
public interface EventHandler
{
    /**
     * An Event arrived.
     *
     * @param decoder wrapped on the record; valid during this call only.
     */
    default void onEvent(final EventDecoder decoder)
    {
    }

    /**
     * A producer ended its stream.
     *
     * @param decoder wrapped on the record; valid during this call only.
     */
    default void onEndOfStream(final EndOfStreamDecoder decoder)
    {
    }

    /**
     * A window result arrived.
     *
     * @param decoder wrapped on the record; valid during this call only.
     */
    default void onWindowResult(final WindowResultDecoder decoder)
    {
    }

    /**
     * A producer's event-time progress arrived (see {@link PartitionedEventPublisher}): it is active and has
     * published events up to {@code decoder.eventTimeNs()}, possibly on other partitions.
     *
     * @param decoder wrapped on the record; valid during this call only.
     */
    default void onWatermark(final WatermarkDecoder decoder)
    {
    }
}

package io.herz.codec.json;

import org.agrona.DirectBuffer;

/**
 * Receives the events a {@link JsonEventProjector} projects, one call per good line. The key is only valid during
 * the call. Its parameters match {@code EventPublisher.publishEvent(long, DirectBuffer, int, int, double)}; see
 * {@link PublishingEventSink} to publish into a ring.
 */
@FunctionalInterface
public interface EventSink
{
    /**
     * One projected event.
     *
     * @param eventTimeNs event time, epoch nanoseconds.
     * @param key         buffer holding the ASCII key.
     * @param keyOffset   of the key in {@code key}.
     * @param keyLength   bytes, 0..32.
     * @param value       the value, finite.
     */
    void onEvent(long eventTimeNs, DirectBuffer key, int keyOffset, int keyLength, double value);
}

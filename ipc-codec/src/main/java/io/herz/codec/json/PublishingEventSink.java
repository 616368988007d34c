package io.herz.codec.json;

import io.herz.codec.EventPublisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * An {@link EventSink} that publishes every event with an {@link EventPublisher}, idling with an Agrona
 * {@link IdleStrategy} while the ring is back-pressured, so no projected event is lost.
 */
public final class PublishingEventSink implements EventSink
{
    private final EventPublisher publisher;
    private final IdleStrategy idleStrategy;
    private long backPressureCount;

    /**
     * @param publisher    publishes the events.
     * @param idleStrategy how to wait while the ring is full.
     */
    public PublishingEventSink(final EventPublisher publisher, final IdleStrategy idleStrategy)
    {
        this.publisher = publisher;
        this.idleStrategy = idleStrategy;
    }

    /**
     * Publish one event, retrying while back-pressured.
     */
    public void onEvent(
        final long eventTimeNs, final DirectBuffer key, final int keyOffset, final int keyLength, final double value)
    {
        idleStrategy.reset();
        while (publisher.publishEvent(eventTimeNs, key, keyOffset, keyLength, value) < 0)
        {
            backPressureCount++;
            idleStrategy.idle();
        }
    }

    /**
     * @return refused claims so far.
     */
    public long backPressureCount()
    {
        return backPressureCount;
    }
}

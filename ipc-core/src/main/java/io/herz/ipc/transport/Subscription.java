package io.herz.ipc.transport;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The receiving end of a stream, whatever carries it: a Herz ring ({@code shm:}) or an Aeron stream
 * ({@code aeron:}). Resolved from a URI by {@link Transports#subscription(String, SubscriptionOptions)}.
 * <p>
 * {@link #poll(MessageHandler, int)} hands committed messages to the handler, whole (transports that fragment
 * reassemble first), as type, buffer, offset and length; the buffer range is valid only during the call. The
 * delivery guarantees are the transport's: a Herz ring gives exactly-once delivery to each named subscriber, with
 * at-least-once for the batch in flight when a consumer process dies (see the ring's Javadoc); Aeron gives no loss
 * on a live connection.
 * <p>
 * Not thread-safe: one thread per instance. Nothing here allocates in steady state.
 */
public interface Subscription extends AutoCloseable
{
    /**
     * Deliver up to {@code limit} messages.
     *
     * @param handler gets each message.
     * @param limit   most messages to deliver, at least 1.
     * @return messages delivered (0 when nothing was waiting or the subscription is closed).
     */
    int poll(MessageHandler handler, int limit);

    /**
     * @return true when at least one publisher is connected; transports that cannot tell say true.
     */
    boolean isConnected();

    /**
     * @return how far this subscription has consumed the stream, in the transport's bytes.
     */
    long position();

    /**
     * A named counter that monitors ({@code herz stat}) show beside this stream, for a stage's own figures.
     *
     * @param label what it counts, e.g. "aggregate: events".
     * @return the counter; the subscription frees it on close.
     */
    AtomicCounter newCounter(String label);

    /**
     * @return the URI this subscription was resolved from.
     */
    String uri();

    /**
     * Release what this subscription holds. Idempotent; afterwards {@link #poll(MessageHandler, int)} returns 0.
     */
    void close();
}

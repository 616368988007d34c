package io.herz.bench.peer;

import io.herz.ipc.transport.Subscription;
import org.agrona.CloseHelper;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A {@link Subscription} on an Agrona {@link RingBuffer} in a mapped file: {@code poll} is the ring's {@code read}.
 */
final class AgronaRingSubscription implements Subscription
{
    private final String uri;
    private final MappedRingFile file;
    private final RingBuffer ring;
    private boolean closed;

    AgronaRingSubscription(final String uri, final MappedRingFile file, final RingBuffer ring)
    {
        this.uri = uri;
        this.file = file;
        this.ring = ring;
    }

    public int poll(final MessageHandler handler, final int limit)
    {
        return closed ? 0 : ring.read(handler, limit);
    }

    public boolean isConnected()
    {
        return true;
    }

    public long position()
    {
        return ring.consumerPosition();
    }

    public AtomicCounter newCounter(final String label)
    {
        throw new UnsupportedOperationException("agrona ring " + file.path() + ": has no counters region, " +
            "found a request for counter '" + label + "'");
    }

    public String uri()
    {
        return uri;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.close(file);
        }
    }
}

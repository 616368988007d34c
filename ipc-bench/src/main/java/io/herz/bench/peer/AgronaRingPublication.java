package io.herz.bench.peer;

import io.herz.ipc.transport.Publication;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A {@link Publication} on an Agrona {@link RingBuffer} in a mapped file: {@code tryClaim}/{@code commit}/
 * {@code abort} map one to one; a full ring is {@link #BACK_PRESSURED}.
 */
final class AgronaRingPublication implements Publication
{
    private final String uri;
    private final MappedRingFile file;
    private final RingBuffer ring;
    private final MutableDirectBuffer buffer;
    private boolean closed;

    AgronaRingPublication(final String uri, final MappedRingFile file, final RingBuffer ring)
    {
        this.uri = uri;
        this.file = file;
        this.ring = ring;
        this.buffer = ring.buffer();
    }

    public int tryClaim(final int typeId, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        final int index = ring.tryClaim(typeId, length);
        return index >= 0 ? index : BACK_PRESSURED;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public boolean commit(final int index)
    {
        ring.commit(index);
        return true;
    }

    public void abort(final int index)
    {
        ring.abort(index);
    }

    public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        return ring.write(typeId, source, offset, length) ? 0 : BACK_PRESSURED;
    }

    public int maxClaimLength()
    {
        return ring.maxMsgLength();
    }

    public int maxMessageLength()
    {
        return ring.maxMsgLength();
    }

    public boolean isConnected()
    {
        return true;
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

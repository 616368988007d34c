package io.herz.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.herz.ipc.transport.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Subscription} on an Aeron stream. Messages larger than the MTU arrive in fragments and are reassembled
 * (a {@link FragmentAssembler}, per publisher session) before the handler sees them; the handler gets the type from
 * the frame's reserved value ({@link AeronFrames}) and the payload, exactly as from a ring. Frames that do not carry
 * Herz's magic are skipped and counted ({@link #foreignFrameCount()}). One image per connected publisher session;
 * Aeron delivers each image's messages in order, without loss, while it is connected.
 * <p>
 * Counters made by {@link #newCounter(String)} are Aeron counters (type {@value #STAGE_COUNTER_TYPE_ID}) in the
 * driver's CnC file, where {@code herz stat --aeron-dir} and AeronStat read them.
 */
public final class AeronSubscription implements Subscription, FragmentHandler
{
    /** Aeron counter type id of a stage's own counters made through {@link #newCounter(String)}. */
    public static final int STAGE_COUNTER_TYPE_ID = 7301;

    private final String uri;
    private final AeronRuntime runtime;
    private final io.aeron.Subscription subscription;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final UnsafeBuffer readOnlyView = new UnsafeBuffer(0, 0);
    private final List<AtomicCounter> counters = new ArrayList<>();
    private MessageHandler handler;
    private int delivered;
    private long foreignFrames;
    private boolean closed;

    private AeronSubscription(final String uri, final AeronRuntime runtime, final io.aeron.Subscription subscription)
    {
        this.uri = uri;
        this.runtime = runtime;
        this.subscription = subscription;
    }

    static AeronSubscription open(final AeronChannel channel)
    {
        final AeronRuntime runtime = AeronRuntime.acquire();
        try
        {
            return new AeronSubscription(channel.text(), runtime,
                runtime.aeron().addSubscription(channel.channel(), channel.streamId()));
        }
        catch (final RuntimeException ex)
        {
            runtime.release();
            throw ex;
        }
    }

    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        this.handler = handler;
        delivered = 0;
        subscription.poll(assembler, limit);
        this.handler = null;
        return delivered;
    }

    /**
     * Aeron's callback for each whole message; not for callers.
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long reservedValue = header.reservedValue();
        if (!AeronFrames.isHerz(reservedValue))
        {
            foreignFrames++;
            return;
        }
        delivered++;
        final MutableDirectBuffer mutable;
        if (buffer instanceof MutableDirectBuffer)
        {
            mutable = (MutableDirectBuffer)buffer;
        }
        else
        {
            readOnlyView.wrap(buffer, 0, buffer.capacity());
            mutable = readOnlyView;
        }
        handler.onMessage(AeronFrames.typeId(reservedValue), mutable, offset, length);
    }

    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /**
     * @return bytes consumed since joining, summed over the images connected now.
     */
    public long position()
    {
        long sum = 0;
        for (int i = 0, n = subscription.imageCount(); i < n; i++)
        {
            final Image image = subscription.imageAtIndex(i);
            sum += image.position() - image.joinPosition();
        }
        return sum;
    }

    public AtomicCounter newCounter(final String label)
    {
        final AtomicCounter counter = runtime.aeron().addCounter(STAGE_COUNTER_TYPE_ID, label);
        counters.add(counter);
        return counter;
    }

    /**
     * @return frames skipped because they did not carry Herz's magic.
     */
    public long foreignFrameCount()
    {
        return foreignFrames;
    }

    /**
     * @return the Aeron subscription under this one (images, channel status).
     */
    public io.aeron.Subscription aeronSubscription()
    {
        return subscription;
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
            CloseHelper.closeAll(counters);
            counters.clear();
            subscription.close();
            runtime.release();
        }
    }

    public String toString()
    {
        return "AeronSubscription{" + uri + "}";
    }
}

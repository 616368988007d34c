package io.herz.aeron;

import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Publication} on an Aeron stream: an {@link io.aeron.ExclusivePublication} when the options say the
 * stream has one producer, else a concurrent {@link io.aeron.Publication} (which several publishers of one driver
 * share). {@link #tryClaim(int, int)} claims in the term buffer (zero copy, up to Aeron's max payload: one MTU);
 * {@link #offer(int, DirectBuffer, int, int)} copies, also messages up to Aeron's max message length, which Aeron
 * fragments. The type travels in the frame's reserved value ({@link AeronFrames}). Aeron's return codes pass
 * through: their values are the seam's.
 */
public final class AeronPublication implements Publication
{
    private final String uri;
    private final AeronRuntime runtime;
    private final io.aeron.Publication publication;
    private final BufferClaim claim = new BufferClaim();
    private final ReservedValueSupplier typeSupplier = (termBuffer, termOffset, frameLength) -> this.pendingReservedValue;
    private long pendingReservedValue;
    private boolean closed;

    private AeronPublication(final String uri, final AeronRuntime runtime, final io.aeron.Publication publication)
    {
        this.uri = uri;
        this.runtime = runtime;
        this.publication = publication;
    }

    /**
     * Open a publication. A producer (options not {@code create}) waits up to the open timeout of the options'
     * segment config for a subscriber, as a producer of a ring waits for its ring; a stage's output does not wait.
     *
     * @param channel the stream.
     * @param options how to open it.
     * @return the open publication.
     * @throws IllegalStateException when no subscriber connects in time.
     */
    static AeronPublication open(final AeronChannel channel, final PublicationOptions options)
    {
        final AeronRuntime runtime = AeronRuntime.acquire();
        io.aeron.Publication publication = null;
        try
        {
            publication = options.exclusive() ?
                runtime.aeron().addExclusivePublication(channel.channel(), channel.streamId()) :
                runtime.aeron().addPublication(channel.channel(), channel.streamId());
            final long timeoutMs = options.segmentConfig().openTimeoutMs();
            if (!options.create() && timeoutMs > 0)
            {
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                while (!publication.isConnected() && System.nanoTime() - deadlineNs < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                if (!publication.isConnected())
                {
                    throw new IllegalStateException("stream '" + channel.text() + "': no subscriber connected within " +
                        timeoutMs + " ms (" + channel + ")");
                }
            }
            return new AeronPublication(channel.text(), runtime, publication);
        }
        catch (final RuntimeException ex)
        {
            if (null != publication)
            {
                publication.close();
            }
            runtime.release();
            throw ex;
        }
    }

    public int tryClaim(final int typeId, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        checkType(typeId);
        if (length < 0 || length > publication.maxPayloadLength())
        {
            throw new IllegalArgumentException("claim length out of range: expected 0 to " +
                publication.maxPayloadLength() + " (Aeron max payload), found " + length + "; use offer");
        }
        final long result = publication.tryClaim(length, claim);
        if (result > 0)
        {
            claim.reservedValue(AeronFrames.reservedValue(typeId));
            return claim.offset();
        }
        return code(result);
    }

    public MutableDirectBuffer buffer()
    {
        return claim.buffer();
    }

    public boolean commit(final int index)
    {
        claim.commit();
        return true;
    }

    public void abort(final int index)
    {
        claim.abort();
    }

    public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        checkType(typeId);
        if (length < 0 || length > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("message length out of range: expected 0 to " +
                publication.maxMessageLength() + " (Aeron max message length), found " + length);
        }
        pendingReservedValue = AeronFrames.reservedValue(typeId);
        final long result = publication.offer(source, offset, length, typeSupplier);
        return result > 0 ? 0 : code(result);
    }

    public int maxClaimLength()
    {
        return publication.maxPayloadLength();
    }

    public int maxMessageLength()
    {
        return publication.maxMessageLength();
    }

    public boolean isConnected()
    {
        return publication.isConnected();
    }

    public String uri()
    {
        return uri;
    }

    /**
     * @return the Aeron publication under this one (session id, position, limit).
     */
    public io.aeron.Publication aeronPublication()
    {
        return publication;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            publication.close();
            runtime.release();
        }
    }

    public String toString()
    {
        return "AeronPublication{" + uri + ", session " + publication.sessionId() + "}";
    }

    static int code(final long result)
    {
        if (result == io.aeron.Publication.NOT_CONNECTED || result == io.aeron.Publication.BACK_PRESSURED ||
            result == io.aeron.Publication.ADMIN_ACTION || result == io.aeron.Publication.CLOSED)
        {
            return (int)result;
        }
        return CLOSED; // MAX_POSITION_EXCEEDED: this publication can carry no more
    }

    private static void checkType(final int typeId)
    {
        if (typeId <= 0)
        {
            throw new IllegalArgumentException("message type: expected a positive type id, found " + typeId);
        }
    }
}

package io.herz.bench.peer;

import io.herz.ipc.transport.Publication;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection to a {@code uds:} subscription. Claims are made in a send buffer of {@link #SEND_BUFFER_LENGTH}
 * bytes; committed frames are written (non-blocking) once {@link #BATCH_LENGTH} bytes are pending, and on
 * {@link #flush()}. A claim that does not fit after a write attempt is {@link #BACK_PRESSURED}.
 */
final class UdsPublication implements Publication
{
    /** Pending bytes that trigger a write. */
    static final int BATCH_LENGTH = 16 * 1024;

    /** Bytes of the send buffer. */
    static final int SEND_BUFFER_LENGTH = 256 * 1024;

    private final String uri;
    private final SocketChannel channel;
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(SEND_BUFFER_LENGTH);
    private final UnsafeBuffer view = new UnsafeBuffer(sendBuffer);
    private int sentPosition;
    private int endPosition;
    private int claimedLength = -1;
    private boolean closed;

    private UdsPublication(final String uri, final SocketChannel channel)
    {
        this.uri = uri;
        this.channel = channel;
    }

    static UdsPublication connect(final String uri, final Path path, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            if (Files.exists(path))
            {
                SocketChannel channel = null;
                try
                {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(UnixDomainSocketAddress.of(path));
                    channel.configureBlocking(false);
                    return new UdsPublication(uri, channel);
                }
                catch (final IOException ex)
                {
                    closeQuietly(channel);
                    if (System.nanoTime() - deadlineNs > 0)
                    {
                        throw new UncheckedIOException("uds socket " + path.toAbsolutePath() + ": cannot connect", ex);
                    }
                }
            }
            else if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("uds socket " + path.toAbsolutePath() +
                    ": expected the socket within " + timeoutMs + " ms, found none");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    public int tryClaim(final int typeId, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        if (length < 0 || length > UdsFrame.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("uds claim length out of range: expected 0.." +
                UdsFrame.MAX_PAYLOAD_LENGTH + ", found " + length);
        }
        final int frameLength = UdsFrame.HEADER_LENGTH + length;
        if (SEND_BUFFER_LENGTH - endPosition < frameLength)
        {
            write();
            compact();
            if (SEND_BUFFER_LENGTH - endPosition < frameLength)
            {
                return BACK_PRESSURED;
            }
        }
        view.putInt(endPosition + UdsFrame.TYPE_OFFSET, typeId);
        claimedLength = length;
        return endPosition + UdsFrame.HEADER_LENGTH;
    }

    public MutableDirectBuffer buffer()
    {
        return view;
    }

    public boolean commit(final int index)
    {
        checkClaim(index);
        view.putInt(endPosition + UdsFrame.LENGTH_OFFSET, claimedLength);
        endPosition = index + claimedLength;
        claimedLength = -1;
        if (endPosition - sentPosition >= BATCH_LENGTH)
        {
            write();
        }
        return true;
    }

    public void abort(final int index)
    {
        checkClaim(index);
        claimedLength = -1;
    }

    public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        final int index = tryClaim(typeId, length);
        if (index < 0)
        {
            return index;
        }
        view.putBytes(index, source, offset, length);
        commit(index);
        return 0;
    }

    public int maxClaimLength()
    {
        return UdsFrame.MAX_PAYLOAD_LENGTH;
    }

    public int maxMessageLength()
    {
        return UdsFrame.MAX_PAYLOAD_LENGTH;
    }

    /**
     * Write every committed frame, spinning while the socket is full.
     */
    public void flush()
    {
        while (!closed && sentPosition < endPosition)
        {
            if (write() == 0)
            {
                Thread.onSpinWait();
            }
        }
        compact();
    }

    public boolean isConnected()
    {
        return channel.isConnected();
    }

    public String uri()
    {
        return uri;
    }

    public void close()
    {
        if (!closed)
        {
            flush();
            closed = true;
            closeQuietly(channel);
        }
    }

    private int write()
    {
        if (sentPosition == endPosition)
        {
            return 0;
        }
        sendBuffer.limit(endPosition).position(sentPosition);
        try
        {
            final int written = channel.write(sendBuffer);
            sentPosition += written;
            return written;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("uds " + uri + ": write failed", ex);
        }
    }

    private void compact()
    {
        if (sentPosition == endPosition)
        {
            sentPosition = 0;
            endPosition = 0;
        }
        else if (sentPosition > 0 && claimedLength < 0)
        {
            final int pending = endPosition - sentPosition;
            view.putBytes(0, view, sentPosition, pending);
            sentPosition = 0;
            endPosition = pending;
        }
    }

    private void checkClaim(final int index)
    {
        if (claimedLength < 0 || index != endPosition + UdsFrame.HEADER_LENGTH)
        {
            throw new IllegalStateException("uds " + uri + ": no claim at index " + index + ": expected a claim at " +
                (claimedLength < 0 ? "none" : Integer.toString(endPosition + UdsFrame.HEADER_LENGTH)));
        }
    }

    private static void closeQuietly(final SocketChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing: nothing left to do
            }
        }
    }
}

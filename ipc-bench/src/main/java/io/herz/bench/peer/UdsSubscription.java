package io.herz.bench.peer;

import io.herz.ipc.transport.Subscription;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening end of a {@code uds:} stream: binds the socket file, accepts connections (non-blocking, checked when
 * nothing was delivered), reads each connection into its own receive buffer and hands whole frames to the handler in
 * place. Frames of one connection arrive in order; connections are polled in turn.
 */
final class UdsSubscription implements Subscription
{
    private static final int ACCEPT_EVERY_EMPTY_POLLS = 256;

    private final String uri;
    private final Path path;
    private final ServerSocketChannel server;
    private final List<Connection> connections = new ArrayList<>();
    private int emptyPolls;
    private long position;
    private boolean closed;

    private UdsSubscription(final String uri, final Path path, final ServerSocketChannel server)
    {
        this.uri = uri;
        this.path = path;
        this.server = server;
    }

    static UdsSubscription bind(final String uri, final Path path)
    {
        try
        {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.deleteIfExists(path);
            final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            return new UdsSubscription(uri, path, server);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("uds socket " + path.toAbsolutePath() + ": cannot bind", ex);
        }
    }

    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        if (connections.isEmpty() || (++emptyPolls % ACCEPT_EVERY_EMPTY_POLLS) == 0)
        {
            accept();
        }
        int delivered = 0;
        for (int i = 0, size = connections.size(); i < size && delivered < limit; i++)
        {
            delivered += connections.get(i).poll(handler, limit - delivered);
        }
        if (delivered > 0)
        {
            emptyPolls = 0;
        }
        return delivered;
    }

    public boolean isConnected()
    {
        return !connections.isEmpty();
    }

    public long position()
    {
        return position;
    }

    public AtomicCounter newCounter(final String label)
    {
        throw new UnsupportedOperationException("uds socket " + path.toAbsolutePath() + ": has no counters, found a " +
            "request for counter '" + label + "'");
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
            for (final Connection connection : connections)
            {
                connection.close();
            }
            connections.clear();
            try
            {
                server.close();
                Files.deleteIfExists(path);
            }
            catch (final IOException ignore)
            {
                // closing: nothing left to do
            }
        }
    }

    private void accept()
    {
        try
        {
            SocketChannel channel;
            while ((channel = server.accept()) != null)
            {
                channel.configureBlocking(false);
                connections.add(new Connection(channel));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("uds socket " + path.toAbsolutePath() + ": accept failed", ex);
        }
    }

    private final class Connection
    {
        private static final int RECEIVE_BUFFER_LENGTH = 1024 * 1024;

        private final SocketChannel channel;
        private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_LENGTH);
        private final UnsafeBuffer view = new UnsafeBuffer(receiveBuffer);
        private int readPosition;
        private int endPosition;
        private boolean endOfStream;

        Connection(final SocketChannel channel)
        {
            this.channel = channel;
        }

        int poll(final MessageHandler handler, final int limit)
        {
            if (!hasFrame())
            {
                fill();
            }
            int delivered = 0;
            while (delivered < limit && hasFrame())
            {
                final int length = view.getInt(readPosition + UdsFrame.LENGTH_OFFSET);
                final int typeId = view.getInt(readPosition + UdsFrame.TYPE_OFFSET);
                handler.onMessage(typeId, view, readPosition + UdsFrame.HEADER_LENGTH, length);
                readPosition += UdsFrame.HEADER_LENGTH + length;
                position += UdsFrame.HEADER_LENGTH + length;
                delivered++;
            }
            return delivered;
        }

        private boolean hasFrame()
        {
            final int available = endPosition - readPosition;
            if (available < UdsFrame.HEADER_LENGTH)
            {
                return false;
            }
            final int length = view.getInt(readPosition + UdsFrame.LENGTH_OFFSET);
            if (length < 0 || length > UdsFrame.MAX_PAYLOAD_LENGTH)
            {
                throw new IllegalStateException("uds socket " + path.toAbsolutePath() + ": corrupt frame: expected " +
                    "a length 0.." + UdsFrame.MAX_PAYLOAD_LENGTH + ", found " + length);
            }
            return available >= UdsFrame.HEADER_LENGTH + length;
        }

        private void fill()
        {
            if (endOfStream)
            {
                return;
            }
            if (readPosition == endPosition)
            {
                readPosition = 0;
                endPosition = 0;
            }
            else if (RECEIVE_BUFFER_LENGTH - endPosition < UdsFrame.HEADER_LENGTH + UdsFrame.MAX_PAYLOAD_LENGTH)
            {
                final int pending = endPosition - readPosition;
                view.putBytes(0, view, readPosition, pending);
                readPosition = 0;
                endPosition = pending;
            }
            receiveBuffer.limit(RECEIVE_BUFFER_LENGTH).position(endPosition);
            try
            {
                final int read = channel.read(receiveBuffer);
                if (read > 0)
                {
                    endPosition += read;
                }
                else if (read < 0)
                {
                    endOfStream = true;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("uds socket " + path.toAbsolutePath() + ": read failed", ex);
            }
        }

        void close()
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

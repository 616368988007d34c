package io.herz.bench.peer;

import io.herz.ipc.transport.Subscription;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.file.Path;

/**
 * A Chronicle Queue tailer behind the seam: each present document is handed to the handler in place (the buffer
 * wraps the document's bytes in the mapped queue file), its first 4 bytes being the type id.
 */
final class ChronicleSubscription implements Subscription
{
    private final String uri;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer readBuffer = new UnsafeBuffer(0, 0);
    private long position;
    private boolean closed;

    ChronicleSubscription(final String uri, final Path directory)
    {
        this.uri = uri;
        this.queue = ChronicleQueue.singleBuilder(directory).build();
        this.tailer = queue.createTailer();
    }

    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        int delivered = 0;
        while (delivered < limit)
        {
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final int typeId = bytes.readInt();
                final long start = bytes.readPosition();
                final int length = (int)bytes.readRemaining();
                readBuffer.wrap(bytes.addressForRead(start), length);
                handler.onMessage(typeId, readBuffer, 0, length);
                position += 4 + length;
                delivered++;
            }
        }
        return delivered;
    }

    public boolean isConnected()
    {
        return true;
    }

    public long position()
    {
        return position;
    }

    public AtomicCounter newCounter(final String label)
    {
        throw new UnsupportedOperationException("chronicle " + uri + ": has no counters, found a request for " +
            "counter '" + label + "'");
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
            tailer.close();
            queue.close();
        }
    }
}

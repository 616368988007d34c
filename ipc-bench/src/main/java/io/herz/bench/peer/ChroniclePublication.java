package io.herz.bench.peer;

import io.herz.ipc.transport.Publication;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * A Chronicle Queue appender behind the seam. {@link #tryClaim(int, int)} opens a document, writes the type id,
 * reserves {@code length} bytes and wraps {@link #buffer()} on their address in the mapped queue file, so the caller
 * writes in place; {@link #commit(int)} closes the document (Chronicle's commit), {@link #abort(int)} rolls it back.
 * Chronicle never refuses an append (the queue grows on disk), so there is no back-pressure.
 */
final class ChroniclePublication implements Publication
{
    /** Longest message: well inside Chronicle's mapping overlap, so a claim is one contiguous address range. */
    static final int MAX_MESSAGE_LENGTH = 64 * 1024;

    private final String uri;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final UnsafeBuffer claimBuffer = new UnsafeBuffer(0, 0);
    private DocumentContext document;
    private boolean closed;

    ChroniclePublication(final String uri, final Path directory)
    {
        this.uri = uri;
        this.queue = ChronicleQueue.singleBuilder(directory).build();
        this.appender = queue.createAppender();
    }

    public int tryClaim(final int typeId, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        if (length < 0 || length > MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("chronicle claim length out of range: expected 0.." +
                MAX_MESSAGE_LENGTH + ", found " + length);
        }
        document = appender.writingDocument();
        final Bytes<?> bytes = document.wire().bytes();
        bytes.writeInt(typeId);
        final long start = bytes.writePosition();
        bytes.writeSkip(length);
        claimBuffer.wrap(bytes.addressForWrite(start), length);
        return 0;
    }

    public MutableDirectBuffer buffer()
    {
        return claimBuffer;
    }

    public boolean commit(final int index)
    {
        checkClaim(index);
        document.close();
        document = null;
        return true;
    }

    public void abort(final int index)
    {
        checkClaim(index);
        document.rollbackOnClose();
        document.close();
        document = null;
    }

    public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        final int index = tryClaim(typeId, length);
        if (index < 0)
        {
            return index;
        }
        claimBuffer.putBytes(index, source, offset, length);
        commit(index);
        return 0;
    }

    public int maxClaimLength()
    {
        return MAX_MESSAGE_LENGTH;
    }

    public int maxMessageLength()
    {
        return MAX_MESSAGE_LENGTH;
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
            if (document != null)
            {
                document.rollbackOnClose();
                document.close();
                document = null;
            }
            appender.close();
            queue.close();
        }
    }

    private void checkClaim(final int index)
    {
        if (document == null || index != 0)
        {
            throw new IllegalStateException("chronicle " + uri + ": no claim at index " + index);
        }
    }
}

package io.herz.ipc.fault;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small memory-mapped file shared by the campaign and its children: what one process stores is in the page
 * cache as soon as the store is done, so it survives that process's SIGKILL. Longs are read with acquire and
 * written with release (the campaign reads what a child published, e.g. "committed up to n").
 */
final class LongFile implements AutoCloseable
{
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;

    private LongFile(final MappedByteBuffer mapping)
    {
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
    }

    /**
     * Map a file of {@code length} bytes, creating it (zero-filled, sparse) if absent.
     *
     * @param path   the file.
     * @param length its length in bytes, a multiple of 8.
     * @return the mapping.
     */
    static LongFile map(final Path path, final long length)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            if (channel.size() < length)
            {
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1); // extend: sparse, zeros
            }
            return new LongFile(channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    long get(final int index)
    {
        return buffer.getLongAcquire(index * 8);
    }

    void set(final int index, final long value)
    {
        buffer.putLongRelease(index * 8, value);
    }

    long increment(final int index)
    {
        return buffer.getAndAddLong(index * 8, 1) + 1;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    public void close()
    {
        IoUtil.unmap(mapping);
    }
}

package io.herz.bench.peer;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The file an Agrona ring lives in: {@code capacity + RingBufferDescriptor.TRAILER_LENGTH} bytes, mapped as Aeron maps
 * its to-driver ring. The creator (the subscription) writes it under a temporary name and renames it into place, so an
 * opener never maps a half-sized file; openers wait a bounded time for it to appear.
 */
final class MappedRingFile implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private boolean closed;

    private MappedRingFile(final Path path, final MappedByteBuffer mapping)
    {
        this.path = path;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
    }

    /**
     * @param path     the ring file; replaced if it exists.
     * @param capacity data capacity, a power of two.
     * @return the new, zeroed, mapped ring file.
     */
    static MappedRingFile create(final Path path, final int capacity)
    {
        final Path absolute = path.toAbsolutePath();
        final Path temporary = absolute.resolveSibling(absolute.getFileName() + ".creating");
        try
        {
            Files.createDirectories(absolute.getParent());
            Files.deleteIfExists(temporary);
            final MappedByteBuffer mapping = IoUtil.mapNewFile(
                temporary.toFile(), (long)capacity + RingBufferDescriptor.TRAILER_LENGTH, true);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new MappedRingFile(absolute, mapping);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("agrona ring " + absolute + ": cannot create", ex);
        }
    }

    /**
     * @param path      the ring file.
     * @param timeoutMs how long to wait for it to appear.
     * @return the mapped ring file.
     * @throws IllegalStateException if it does not appear in time.
     */
    static MappedRingFile open(final Path path, final long timeoutMs)
    {
        final Path absolute = path.toAbsolutePath();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!Files.exists(absolute))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("agrona ring " + absolute + ": expected the file within " + timeoutMs +
                    " ms, found none");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return new MappedRingFile(absolute, IoUtil.mapExistingFile(absolute.toFile(), "agrona ring"));
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    Path path()
    {
        return path;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(mapping);
        }
    }
}

package io.herz.bench.ring;

import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The peer: Agrona's {@link ManyToOneRingBuffer} (or its {@link OneToOneRingBuffer}, one producer only) over an {@link UnsafeBuffer} on a memory-mapped file of
 * {@code capacity + RingBufferDescriptor.TRAILER_LENGTH} bytes, as Aeron maps its to-driver ring.
 */
final class AgronaBenchRing implements BenchRing
{
    private final Path path;
    private final MappedByteBuffer mapping;
    private final RingBuffer ring;
    private boolean closed;

    AgronaBenchRing(final Path path, final MappedByteBuffer mapping)
    {
        this(path, mapping, false);
    }

    AgronaBenchRing(final Path path, final MappedByteBuffer mapping, final boolean oneToOne)
    {
        this.path = path;
        this.mapping = mapping;
        this.ring = oneToOne ? new OneToOneRingBuffer(new UnsafeBuffer(mapping)) :
            new ManyToOneRingBuffer(new UnsafeBuffer(mapping));
    }

    public BenchProducer producer(final int producerId)
    {
        return new Producer(ring);
    }

    public BenchConsumer consumer()
    {
        return new Consumer(ring);
    }

    public Path path()
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

    private static final class Producer implements BenchProducer
    {
        private final RingBuffer ring;
        private final MutableDirectBuffer buffer;

        Producer(final RingBuffer ring)
        {
            this.ring = ring;
            this.buffer = ring.buffer();
        }

        public int tryClaim(final int typeId, final int length)
        {
            return ring.tryClaim(typeId, length);
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void commit(final int index)
        {
            ring.commit(index);
        }

        public void close()
        {
        }
    }

    private static final class Consumer implements BenchConsumer
    {
        private final RingBuffer ring;

        Consumer(final RingBuffer ring)
        {
            this.ring = ring;
        }

        public int read(final MessageHandler handler, final int limit)
        {
            return ring.read(handler, limit);
        }

        public void close()
        {
        }
    }
}

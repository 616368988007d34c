package io.herz.bench.ring;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.nio.file.Path;

/**
 * A Herz segment seen through the benchmark interfaces: {@link RingProducer} (shared, exclusive, or with batch claims:
 * {@link RingProducer#tryClaimBatch(int)}) and {@link RingConsumer}, all from ipc-core; the benchmark writes no wire
 * protocol of its own.
 */
final class HerzBenchRing implements BenchRing
{
    private final Segment segment;
    private final int batchLength;
    private final boolean sampledClock;
    private final boolean exclusive;

    /**
     * @param segment      the mapped segment.
     * @param batchLength  0 for one claim per record; else bytes per batch claim ({@link RingProducer#tryClaimBatch}).
     * @param sampledClock give the consumer the {@link SampledNanoClock}.
     * @param exclusive    use the ring's exclusive producer ({@link RingProducer#exclusive}): one producer only.
     */
    HerzBenchRing(final Segment segment, final int batchLength, final boolean sampledClock, final boolean exclusive)
    {
        this.segment = segment;
        this.batchLength = batchLength;
        this.sampledClock = sampledClock;
        this.exclusive = exclusive;
    }

    public BenchProducer producer(final int producerId)
    {
        final RingProducer producer = exclusive ? RingProducer.exclusive(segment, producerId) :
            new RingProducer(segment, producerId);
        return batchLength == 0 ? new Producer(producer) : new BatchProducer(producer, batchLength);
    }

    public BenchConsumer consumer()
    {
        return new Consumer(sampledClock ?
            new RingConsumer(segment, RingConsumer.DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS, new SampledNanoClock()) :
            new RingConsumer(segment));
    }

    public Path path()
    {
        return segment.path();
    }

    public void close()
    {
        segment.close();
    }

    private static final class Producer implements BenchProducer
    {
        private final RingProducer producer;
        private final MutableDirectBuffer buffer;

        Producer(final RingProducer producer)
        {
            this.producer = producer;
            this.buffer = producer.buffer();
        }

        public int tryClaim(final int typeId, final int length)
        {
            return producer.tryClaim(typeId, length);
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void commit(final int index)
        {
            producer.commit(index);
        }

        public void close()
        {
            producer.close();
        }
    }

    /**
     * Batch claims of ipc-core: one tail CAS and one commit per {@code batchLength} bytes. A record is appended to
     * the open batch at claim; the batch is committed when the next record does not fit, and on {@link #flush()}.
     */
    private static final class BatchProducer implements BenchProducer
    {
        private final RingProducer producer;
        private final MutableDirectBuffer buffer;
        private final int batchLength;
        private boolean open;

        BatchProducer(final RingProducer producer, final int batchLength)
        {
            this.producer = producer;
            this.buffer = producer.buffer();
            this.batchLength = batchLength;
        }

        public int tryClaim(final int typeId, final int length)
        {
            if (open)
            {
                final int index = producer.append(typeId, length);
                if (index != RingProducer.BATCH_FULL)
                {
                    return index;
                }
                producer.commitBatch();
                open = false;
            }
            final int claimed = producer.tryClaimBatch(batchLength);
            if (claimed < 0)
            {
                return claimed;
            }
            open = true;
            return producer.append(typeId, length);
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void commit(final int index)
        {
            // published with the batch: commitBatch() when the batch is full or on flush()
        }

        public void flush()
        {
            if (open)
            {
                producer.commitBatch();
                open = false;
            }
        }

        public void close()
        {
            flush();
            producer.close();
        }
    }

    private static final class Consumer implements BenchConsumer
    {
        private final RingConsumer consumer;

        Consumer(final RingConsumer consumer)
        {
            this.consumer = consumer;
        }

        public int read(final MessageHandler handler, final int limit)
        {
            return consumer.read(handler, limit);
        }

        public void close()
        {
            consumer.close();
        }
    }
}

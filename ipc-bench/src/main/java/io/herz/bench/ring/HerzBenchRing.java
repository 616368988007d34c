package io.herz.bench.ring;

import io.herz.bench.ring.experimental.BatchClaimRingProducer;
import io.herz.bench.ring.experimental.SampledNanoClock;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.nio.file.Path;

/**
 * A Herz segment seen through the benchmark interfaces: {@link RingProducer} and {@link RingConsumer} unchanged, or
 * the experimental {@link BatchClaimRingProducer} with the unchanged consumer.
 */
final class HerzBenchRing implements BenchRing
{
    private final Segment segment;
    private final int batchLength;
    private final boolean sampledClock;

    /**
     * @param segment      the mapped segment.
     * @param batchLength  0 for {@link RingProducer}; else bytes per claim of the experimental
     *                     {@link BatchClaimRingProducer}.
     * @param sampledClock give the consumer the experimental {@link SampledNanoClock}.
     */
    HerzBenchRing(final Segment segment, final int batchLength, final boolean sampledClock)
    {
        this.segment = segment;
        this.batchLength = batchLength;
        this.sampledClock = sampledClock;
    }

    public BenchProducer producer(final int producerId)
    {
        return batchLength == 0 ?
            new Producer(new RingProducer(segment, producerId)) :
            new BatchProducer(new BatchClaimRingProducer(segment, producerId, batchLength));
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

    private static final class BatchProducer implements BenchProducer
    {
        private final BatchClaimRingProducer producer;
        private final MutableDirectBuffer buffer;

        BatchProducer(final BatchClaimRingProducer producer)
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

        public void flush()
        {
            producer.flush();
        }

        public void close()
        {
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

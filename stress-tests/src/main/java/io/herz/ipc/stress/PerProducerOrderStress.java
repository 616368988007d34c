package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Guarantee 3, first half, per-producer FIFO: the records of one producer are delivered in the order it committed
 * them; the consumer never sees a later record without every earlier one. Each record is delivered exactly once
 * (guarantee 4).
 * <p>
 * Fences: F5 gives one producer's successive claims increasing positions; F7 (commit, release) and F8 (length,
 * acquire) make the consumer stop at the first record not yet committed, so a later commit cannot overtake an
 * earlier one. F9/F3 are not involved: the ring never fills.
 * <p>
 * Result fields: types the consumer actor delivered, in order (0 = none), then the types the arbiter drained.
 */
public final class PerProducerOrderStress
{
    private PerProducerOrderStress()
    {
    }

    /**
     * One producer commits record 1 then record 2; the consumer reads twice.
     */
    @JCStressTest
    @Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "the consumer looked before the first commit")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the consumer looked between the two commits")
    @Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "the consumer saw both commits, in order")
    @Outcome(id = {"2, 1", "21, 0", "2, 0", "0, 21"}, expect = FORBIDDEN,
        desc = "the second record delivered without or before the first")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: lost, repeated or corrupt (9) records")
    @State
    public static class TwoCommits
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 16);

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 8);
            ExclusiveClaimStress.claimWriteCommit(producer, 2, 16);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            ring.release();
        }
    }

    /**
     * One producer offers records 1, 2 and 3; the consumer takes one record per read, three times.
     */
    @JCStressTest
    @Outcome(id = "0, 123", expect = ACCEPTABLE, desc = "the consumer looked before the first commit")
    @Outcome(id = "1, 23", expect = ACCEPTABLE, desc = "the consumer kept up with the first commit only")
    @Outcome(id = "12, 3", expect = ACCEPTABLE, desc = "the consumer kept up with the first two commits")
    @Outcome(id = "123, 0", expect = ACCEPTABLE, desc = "the consumer saw all three commits, in order")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: records out of order, lost, repeated or corrupt (9)")
    @State
    public static class ThreeOffersOneAtATime
    {
        static final int LENGTH = 24;

        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, LENGTH, LENGTH, LENGTH);
        final UnsafeBuffer[] sources = new UnsafeBuffer[4];

        public ThreeOffersOneAtATime()
        {
            for (int type = 1; type <= 3; type++)
            {
                sources[type] = new UnsafeBuffer(new byte[LENGTH]);
                Deliveries.write(sources[type], 0, type, LENGTH);
            }
        }

        @Actor
        public void producer()
        {
            producer.offer(1, sources[1], 0, LENGTH);
            producer.offer(2, sources[2], 0, LENGTH);
            producer.offer(3, sources[3], 0, LENGTH);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            consumer.read(seen, 1);
            consumer.read(seen, 1);
            consumer.read(seen, 1);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            ring.release();
        }
    }
}

package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.ring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The exclusive producer's commit by gate (guarantees 2 and 10): no locked instruction, the claim's first word written
 * last (F28), the tail after it (F5x).
 */
public final class ExclusiveGateStress
{
    private ExclusiveGateStress()
    {
    }

    /**
     * A claim 16 bytes before the end of the data area wraps: the record goes to offset 0 and the gate is the padding
     * to the end, written after the record. The consumer reads meanwhile. Fences F28, F8. Result: types the consumer
     * delivered, types the arbiter drained.
     */
    @JCStressTest
    @Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "the consumer looked before the gate")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "the consumer read the padding and the record at 0")
    @Outcome(expect = FORBIDDEN, desc = "the record at 0 read before its payload or header, lost or repeated")
    @State
    public static class WrappingGate
    {
        final Ring ring = new Ring(Ring.CAPACITY - 16);
        final RingProducer producer = RingProducer.exclusive(ring.segment, 1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 0, 24);

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 2, 24);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            producer.close();
            ring.release();
        }
    }

    /**
     * The race both position tests run: an exclusive producer commits one record while the consumer reads it and then
     * looks at its own released position against a bound read after it.
     */
    abstract static class PositionRace
    {
        final Ring ring = new Ring();
        final RingProducer producer = RingProducer.exclusive(ring.segment, 1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8);

        void produce()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 8);
        }

        /** Read, then record whether the released position is at most the bound read after it. */
        void readAndCheck(final II_Result r)
        {
            r.r1 = consumer.read(seen);
            final long position = ring.head();
            r.r2 = position <= bound() ? 1 : 0;
        }

        abstract long bound();

        void release()
        {
            producer.close();
            ring.release();
        }
    }

    /**
     * A consumer may read an exclusive producer's record, and release its position, before that producer's tail
     * store; whoever checks positions (a monitor, a joining consumer, a cleaning producer) reads the position, then
     * the committed end ({@link RingConsumers#committedEnd}). Here the consumer checks its own released position.
     * Fences F4, F28, F8, F9, F5x. Result: records read, 1 when the position is at most the committed end read
     * after it.
     */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 1"}, expect = ACCEPTABLE, desc = "the position is within the committed end")
    @Outcome(expect = FORBIDDEN, desc = "a consumer position beyond the committed end: taken for corrupt")
    @State
    public static class PositionWithinCommittedEnd extends PositionRace
    {
        long bound()
        {
            return RingConsumers.committedEnd(ring.segment);
        }

        @Actor
        public void producer()
        {
            produce();
        }

        @Actor
        public void consumer(final II_Result r)
        {
            readAndCheck(r);
        }

        @Arbiter
        public void arbiter()
        {
            release();
        }
    }

    /**
     * The same race checked against the tail alone: what the committed end covers. Result: records read, 1 when the
     * position is at most the tail read after it.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer looked before the gate")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read, and the tail covers it already")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "the consumer read the record and released it before the producer stored the tail")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class PositionAboveTail extends PositionRace
    {
        long bound()
        {
            return ring.tail();
        }

        @Actor
        public void producer()
        {
            produce();
        }

        @Actor
        public void consumer(final II_Result r)
        {
            readAndCheck(r);
        }

        @Arbiter
        public void arbiter()
        {
            release();
        }
    }
}

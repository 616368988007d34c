package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Guarantee 1, exclusive claim: concurrent producers never receive overlapping space, and the tail advances by
 * exactly the sum of what they claimed.
 * <p>
 * Fences: F2 (tail acquire) and F5 (tail CAS) in {@code RingProducer.tryClaim}; F7 (commit, from the clean word)
 * writes each record where its claim says; F8 in the arbiter's drain reads them back. Each producer commits a payload
 * of its own length; the arbiter drains the ring, so overlapping claims would also show as a corrupt record (9).
 * <p>
 * Result fields: the payload offsets each producer got, the tail, and the types delivered in order.
 */
public final class ExclusiveClaimStress
{
    private ExclusiveClaimStress()
    {
    }

    /**
     * Two producers claim 8 and 24 payload bytes (records of 16 and 32 bytes) at once.
     */
    @JCStressTest
    @Outcome(id = "8, 24, 48, 12", expect = ACCEPTABLE,
        desc = "producer 1 won the CAS: its record at 0, producer 2's at 16; tail 16 + 32")
    @Outcome(id = "40, 8, 48, 21", expect = ACCEPTABLE,
        desc = "producer 2 won the CAS: its record at 0, producer 1's at 32; tail 32 + 16")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: overlapping or lost claims, wrong tail, or a " +
        "record corrupted by another producer's claim")
    @State
    public static class TwoProducers
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 24);

        @Actor
        public void producer1(final IIII_Result r)
        {
            r.r1 = claimWriteCommit(p1, 1, 8);
        }

        @Actor
        public void producer2(final IIII_Result r)
        {
            r.r2 = claimWriteCommit(p2, 2, 24);
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            r.r3 = (int)ring.tail();
            Ring.drain(consumer, seen);
            r.r4 = seen.take();
            ring.release();
        }
    }

    /**
     * Three producers claim 8, 24 and 40 payload bytes (records of 16, 32 and 48) at once: six claim orders, each
     * with its own offsets; the tail always ends at 96. Needs three CPUs: jcstress 0.16 does not oversubscribe, so
     * on a 2-CPU machine it reports this test as not schedulable and {@link TwoActorsThreeProducers} covers three
     * producers with two threads.
     */
    @JCStressTest
    @Outcome(id = "8, 24, 56, 96, 123", expect = ACCEPTABLE, desc = "claim order 1, 2, 3")
    @Outcome(id = "8, 72, 24, 96, 132", expect = ACCEPTABLE, desc = "claim order 1, 3, 2")
    @Outcome(id = "40, 8, 56, 96, 213", expect = ACCEPTABLE, desc = "claim order 2, 1, 3")
    @Outcome(id = "88, 8, 40, 96, 231", expect = ACCEPTABLE, desc = "claim order 2, 3, 1")
    @Outcome(id = "56, 72, 8, 96, 312", expect = ACCEPTABLE, desc = "claim order 3, 1, 2")
    @Outcome(id = "88, 56, 8, 96, 321", expect = ACCEPTABLE, desc = "claim order 3, 2, 1")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: overlapping or lost claims, wrong tail, or a " +
        "record corrupted by another producer's claim")
    @State
    public static class ThreeProducers
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingProducer p3 = ring.producer(3);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 24, 40);

        @Actor
        public void producer1(final IIIII_Result r)
        {
            r.r1 = claimWriteCommit(p1, 1, 8);
        }

        @Actor
        public void producer2(final IIIII_Result r)
        {
            r.r2 = claimWriteCommit(p2, 2, 24);
        }

        @Actor
        public void producer3(final IIIII_Result r)
        {
            r.r3 = claimWriteCommit(p3, 3, 40);
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            r.r4 = (int)ring.tail();
            Ring.drain(consumer, seen);
            r.r5 = seen.take();
            ring.release();
        }
    }

    /**
     * Three producers on two threads: producer 1 on one, producers 2 and 3 one after the other on the other, so
     * producer 1's CAS races each of theirs. Possible claim orders: 1 2 3, 2 1 3, 2 3 1.
     */
    @JCStressTest
    @Outcome(id = "8, 24, 56, 96, 123", expect = ACCEPTABLE, desc = "producer 1 claimed before producers 2 and 3")
    @Outcome(id = "40, 8, 56, 96, 213", expect = ACCEPTABLE, desc = "producer 1 claimed between producers 2 and 3")
    @Outcome(id = "88, 8, 40, 96, 231", expect = ACCEPTABLE, desc = "producer 1 claimed after producers 2 and 3")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: overlapping or lost claims, wrong tail, or a " +
        "record corrupted by another producer's claim (2 before 3 is program order)")
    @State
    public static class TwoActorsThreeProducers
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingProducer p3 = ring.producer(3);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 24, 40);

        @Actor
        public void producer1(final IIIII_Result r)
        {
            r.r1 = claimWriteCommit(p1, 1, 8);
        }

        @Actor
        public void producers2and3(final IIIII_Result r)
        {
            r.r2 = claimWriteCommit(p2, 2, 24);
            r.r3 = claimWriteCommit(p3, 3, 40);
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            r.r4 = (int)ring.tail();
            Ring.drain(consumer, seen);
            r.r5 = seen.take();
            ring.release();
        }
    }

    /**
     * Claim, write the payload of {@code typeId}, commit.
     *
     * @return the payload offset the claim returned (negative if back-pressured, which these rings never are).
     */
    static int claimWriteCommit(final RingProducer producer, final int typeId, final int length)
    {
        final int index = producer.tryClaim(typeId, length);
        if (index >= 0)
        {
            Deliveries.write(producer.buffer(), index, typeId, length);
            producer.commit(index);
        }
        return index;
    }
}

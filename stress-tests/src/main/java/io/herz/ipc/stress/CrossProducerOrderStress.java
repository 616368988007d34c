package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Guarantee 3, second half: across producers, delivery follows claim order. A record claimed later is never
 * delivered before one claimed earlier, even when it is committed first: the consumer waits at the earlier one.
 * <p>
 * Fences: F5 (tail CAS) fixes the claim order as position order; a claimed record's header stays the clean word of
 * its lap (length 0) until F7 commits it; F7/F8 make the consumer stop at the first record whose length is not yet
 * positive.
 * <p>
 * Result fields: payload offsets of producers 1 and 2 (offset 8 = claimed first), types the consumer delivered
 * in the actors, types the arbiter drained.
 */
public final class CrossProducerOrderStress
{
    private CrossProducerOrderStress()
    {
    }

    /**
     * Two producers race to claim and commit one record each; producer 2's thread then reads as the consumer, so
     * it always finds its own record committed and producer 1's committed or not.
     */
    @JCStressTest
    @Outcome(id = "8, 24, 0, 12", expect = ACCEPTABLE_INTERESTING, desc = "1 claimed first but was not committed " +
        "yet: 2's committed record was held back behind it")
    @Outcome(id = "8, 24, 12, 0", expect = ACCEPTABLE, desc = "1 claimed first; the consumer got both, in claim order")
    @Outcome(id = "24, 8, 2, 1", expect = ACCEPTABLE, desc = "2 claimed first; the consumer looked before 1's commit")
    @Outcome(id = "24, 8, 21, 0", expect = ACCEPTABLE, desc = "2 claimed first; the consumer got both, in claim order")
    @Outcome(id = {"8, 24, 2, 1", "8, 24, 21, 0", "8, 24, 2, 0"}, expect = FORBIDDEN,
        desc = "the later claim delivered before the earlier one")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: overlapping claims, lost, repeated or corrupt (9) " +
        "records, or the consumer missing a commit its own thread made")
    @State
    public static class ClaimRace
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 8);

        @Actor
        public void producer1(final IIII_Result r)
        {
            r.r1 = ExclusiveClaimStress.claimWriteCommit(p1, 1, 8);
        }

        @Actor
        public void producer2ThenConsumer(final IIII_Result r)
        {
            r.r2 = ExclusiveClaimStress.claimWriteCommit(p2, 2, 8);
            consumer.read(seen);
            r.r3 = seen.take();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            Ring.drain(consumer, seen);
            r.r4 = seen.take();
            ring.release();
        }
    }

    /**
     * One thread holds claims of producers 1 and 2 (1 claimed first), commits 2 and then 1; a consumer on the other
     * thread reads twice. Seeing 1 committed implies seeing 2 committed (both are release stores, in this order).
     */
    @JCStressTest
    @Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "the consumer looked before 1 was committed (2 may have been " +
        "committed: it waits behind 1)")
    @Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "the consumer saw both commits and delivered in claim order")
    @Outcome(id = {"2, 1", "21, 0", "2, 0"}, expect = FORBIDDEN, desc = "2 delivered before 1, which claimed first")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "1's commit seen without 2's, which was released before it")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: lost, repeated or corrupt (9) records")
    @State
    public static class ReverseCommitOrder
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 16);

        @Actor
        public void producers()
        {
            final int index1 = p1.tryClaim(1, 8);
            final int index2 = p2.tryClaim(2, 16);
            Deliveries.write(p2.buffer(), index2, 2, 16);
            p2.commit(index2);
            Deliveries.write(p1.buffer(), index1, 1, 8);
            p1.commit(index1);
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
     * Producer 1 claimed first (in the state's set-up) and commits in one actor; producer 2 claims after it,
     * commits, and then reads as the consumer on the same thread. The consumer therefore always finds producer 2's
     * record committed; if producer 1's is not yet, it must deliver nothing and wait.
     */
    @JCStressTest
    @Outcome(id = "0, 12, 1", expect = ACCEPTABLE_INTERESTING, desc = "the later claim was committed first and " +
        "held back until the earlier one was committed: claim order, not commit order")
    @Outcome(id = "12, 0, 1", expect = ACCEPTABLE, desc = "both committed when the consumer read: claim order")
    @Outcome(id = {"2, 1, 1", "21, 0, 1", "2, 0, 1"}, expect = FORBIDDEN,
        desc = "the later claim delivered before the earlier one")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: lost, repeated or corrupt (9) records, or " +
        "producer 2's claim not behind producer 1's")
    @State
    public static class CommitOrderIsNotDeliveryOrder
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 8);
        final int index1 = p1.tryClaim(1, 8);

        @Actor
        public void producer1Commits()
        {
            Deliveries.write(p1.buffer(), index1, 1, 8);
            p1.commit(index1);
        }

        @Actor
        public void producer2ThenConsumer(final III_Result r)
        {
            final int index2 = ExclusiveClaimStress.claimWriteCommit(p2, 2, 8);
            consumer.read(seen);
            r.r1 = seen.take();
            r.r3 = index2 == 24 ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            ring.release();
        }
    }
}

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
 * Guarantee 2, safe publication: a consumer that sees a record as committed sees every byte its producer wrote
 * before committing, never a torn, zeroed or stale payload.
 * <p>
 * Fences: plain payload stores published by F7 (the CAS of the positive length over the clean word in
 * {@code RingProducer.commit}, a release), observed by F8 (the acquire load of the length in
 * {@code RingConsumer.read}). The consumer actor makes one read; whatever it does not get the arbiter drains, so
 * every record is accounted for exactly once (guarantee 4).
 * <p>
 * Result fields: the types the consumer actor delivered (0 = none, 1 = the record intact, 9 = the record with a
 * wrong length or payload), then the types the arbiter drained.
 */
public final class SafePublicationStress
{
    private SafePublicationStress()
    {
    }

    /**
     * Zero-copy path: {@code tryClaim}, four payload words written in place, {@code commit}.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer looked before the commit; the arbiter got it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the consumer saw the commit and every payload word")
    @Outcome(id = {"9, 0", "0, 9"}, expect = FORBIDDEN,
        desc = "committed record delivered with a torn or stale payload")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class ClaimCommit
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 32);

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 32);
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
            ring.release();
        }
    }

    /**
     * Copying path: {@code offer} copies 64 bytes (eight words, two cache lines) from a source buffer.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer looked before the commit; the arbiter got it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the consumer saw the commit and every payload word")
    @Outcome(id = {"9, 0", "0, 9"}, expect = FORBIDDEN,
        desc = "committed record delivered with a torn or stale payload")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class Offer
    {
        static final int LENGTH = 64;

        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, LENGTH);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[LENGTH]);

        public Offer()
        {
            Deliveries.write(source, 0, 1, LENGTH);
        }

        @Actor
        public void producer()
        {
            producer.offer(1, source, 0, LENGTH);
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
            ring.release();
        }
    }

    /**
     * The largest record the ring allows (248 payload bytes: 31 words over four cache lines), written after a
     * first record so that it starts mid-line at offset 16.
     */
    @JCStressTest
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the consumer looked before the second commit")
    @Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "the consumer saw both commits and every payload word")
    @Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "the consumer looked before the first commit")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: a torn or stale payload (9), a lost or repeated " +
        "record, or the second record without the first")
    @State
    public static class LargePayload
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, Ring.CAPACITY / 4 - 8);

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 8);
            ExclusiveClaimStress.claimWriteCommit(producer, 2, Ring.CAPACITY / 4 - 8);
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
            ring.release();
        }
    }
}

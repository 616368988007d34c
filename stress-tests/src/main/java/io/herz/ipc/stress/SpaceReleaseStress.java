package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Guarantees 4 and 5, space release and back-pressure: space is reused only after the consumer has released it; a
 * producer on a full ring gets {@code BACK_PRESSURED} at once, and once it sees the released space it writes there
 * without touching unread records, and the consumer's zeroing of that space never lands on the new record.
 * <p>
 * The ring starts full: a set-up producer offered four records of type 3 with the largest payload (248 bytes,
 * 256-byte records), so tail - head = capacity. The consumer actor takes one record (limit 1): the handler checks
 * it, then the consumer zeroes its 256 bytes and releases them. The producer actor claims 248 bytes, which fits
 * only in the released space, at offset 0.
 * <p>
 * Fences: F9 (head release after zeroing) pairs with F3 (head acquire in {@code tryClaim}); F5 then claims the
 * space; F7 writes the new record; F8 in the arbiter reads everything back.
 * <p>
 * Result fields: the producer's claim (8 = payload offset at the start of the freed space, -2 =
 * {@code BACK_PRESSURED}), types the consumer actor delivered, types the arbiter drained (the three unread records,
 * then the new one if it was claimed).
 */
public final class SpaceReleaseStress
{
    static final int FILLER_TYPE = 3;
    static final int LENGTH = Ring.CAPACITY / 4 - 8;
    static final int RETRIES = 1_000;

    private SpaceReleaseStress()
    {
    }

    /**
     * One claim attempt against one release.
     */
    @JCStressTest
    @Outcome(id = "-2, 3, 333", expect = ACCEPTABLE, desc = "the claim came before the release was visible: " +
        "back-pressured, nothing written; the three unread records are intact")
    @Outcome(id = "8, 3, 3331", expect = ACCEPTABLE, desc = "the claim saw the release: the new record went into the " +
        "freed space, behind the three unread records, all intact")
    @Outcome(id = {"8, 3, 333", "8, 3, 9333", "8, 9, 3331", "8, 3, 3339", "8, 3, 3391"}, expect = FORBIDDEN,
        desc = "the new record overwrote unread data or was wiped by the consumer's zeroing")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class OneClaim
    {
        final Ring ring = new Ring();
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, LENGTH, 0, LENGTH);
        final RingProducer producer;

        public OneClaim()
        {
            fill(ring);
            producer = ring.producer(1);
        }

        @Actor
        public void producer(final III_Result r)
        {
            r.r1 = ExclusiveClaimStress.claimWriteCommit(producer, 1, LENGTH);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen, 1);
            r.r2 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r3 = seen.take();
            ring.release();
        }
    }

    /**
     * A producer blocked on back-pressure retries (up to {@value #RETRIES} claims, spinning between them) while the
     * consumer releases one record: it must see the release and write only into the freed space.
     */
    @JCStressTest
    @Outcome(id = "8, 3, 3331", expect = ACCEPTABLE, desc = "the retrying producer saw the release and wrote into " +
        "the freed space; every record intact")
    @Outcome(id = "-2, 3, 333", expect = ACCEPTABLE_INTERESTING, desc = "the producer gave up after " + RETRIES +
        " claims before the consumer thread released (scheduling); nothing written")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: overwritten unread data, a record wiped by " +
        "zeroing, or lost, repeated or corrupt (9) records")
    @State
    public static class RetryUntilReleased
    {
        final Ring ring = new Ring();
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, LENGTH, 0, LENGTH);
        final RingProducer producer;

        public RetryUntilReleased()
        {
            fill(ring);
            producer = ring.producer(1);
        }

        @Actor
        public void producer(final III_Result r)
        {
            int index = RingProducer.BACK_PRESSURED;
            for (int i = 0; i < RETRIES && index < 0; i++)
            {
                index = producer.tryClaim(1, LENGTH);
                if (index < 0)
                {
                    Thread.onSpinWait();
                }
            }
            if (index >= 0)
            {
                Deliveries.write(producer.buffer(), index, 1, LENGTH);
                producer.commit(index);
            }
            r.r1 = index;
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen, 1);
            r.r2 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r3 = seen.take();
            ring.release();
        }
    }

    /**
     * Fill the ring with four committed records of type 3 using a producer that is closed afterwards.
     */
    static void fill(final Ring ring)
    {
        try (RingProducer filler = ring.producer(FILLER_TYPE))
        {
            for (int i = 0; i < 4; i++)
            {
                ExclusiveClaimStress.claimWriteCommit(filler, FILLER_TYPE, LENGTH);
            }
        }
    }
}

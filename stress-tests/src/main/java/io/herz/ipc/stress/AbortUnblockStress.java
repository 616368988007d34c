package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.process.ProcessIdentity;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Guarantees 4 and 7, abort and unblock: an aborted claim, and the claim of a dead producer that the consumer
 * unblocks, are skipped as padding and never delivered as data, while other producers race them; a live producer's
 * claim is never unblocked, however long it stalls the ring.
 * <p>
 * How "dead" is made deterministic: a real {@link RingProducer} claims (F4 intent, F5 CAS, F24 winner) and writes
 * its payload in the state's set-up; then the set-up overwrites that producer slot's owner token with the token of
 * pid 2<sup>31</sup>-1, which no Linux process can have ({@code pid_max} is at most 2<sup>22</sup>). That is exactly
 * what the segment holds after a producer process died at that point, and {@code ProcessIdentity.isAlive} answers
 * "dead" for it at once. The consumer runs with a {@link StepClock}, so its unblocker's grace period and check
 * interval are counted in reads: the first empty read notes the stall, the second unblocks it.
 * <p>
 * Fences: F7 (abort: padding header in one release store), F8 (consumer), F10/F11 (unblocker reads the tail and the
 * slot's claim intent, published by F4; {@link ClaimIntentVisibleWithClaim} checks that pairing alone), F12 (header
 * acquire and the CAS that turns it into padding; a racing commit makes it fail).
 */
public final class AbortUnblockStress
{
    /** Owner token of a process that cannot exist: pid 2^31-1. */
    static final long DEAD_TOKEN = ProcessIdentity.token(Integer.MAX_VALUE, 1);

    private AbortUnblockStress()
    {
    }

    /**
     * Producer 1 claims, writes and aborts while producer 2 claims and commits and then reads as the consumer.
     * Result: types delivered by the consumer in the actor, types the arbiter drained, 1 if head = tail = 48.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "the aborted record (if first) was skipped as padding; " +
        "2 delivered")
    @Outcome(id = "0, 2, 1", expect = ACCEPTABLE_INTERESTING, desc = "1 claimed first and had not aborted yet: 2 " +
        "was held back behind it, then delivered")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the aborted record delivered (1), 2 lost, repeated " +
        "or corrupt (9), or space not consumed exactly once")
    @State
    public static class AbortRacesCommit
    {
        final Ring ring = new Ring();
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 16, 16);

        @Actor
        public void producer1Aborts()
        {
            final int index = p1.tryClaim(1, 16);
            Deliveries.write(p1.buffer(), index, 1, 16);
            p1.abort(index);
        }

        @Actor
        public void producer2ThenConsumer(final III_Result r)
        {
            ExclusiveClaimStress.claimWriteCommit(p2, 2, 16);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r3 = consumedEverything(ring, consumer, 48);
            ring.release();
        }
    }

    /**
     * A producer claims type 1, writes it and aborts, then claims type 2 and commits; the consumer reads twice on
     * the other thread. Result: types delivered by the consumer, types drained by the arbiter, 1 if head = tail = 48.
     */
    @JCStressTest
    @Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "the consumer looked before the commit of 2")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "the consumer skipped the aborted record and delivered 2")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the aborted record delivered (1), 2 lost, repeated " +
        "or corrupt (9), or space not consumed exactly once")
    @State
    public static class AbortThenCommit
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 16, 16);

        @Actor
        public void producer()
        {
            final int index = producer.tryClaim(1, 16);
            Deliveries.write(producer.buffer(), index, 1, 16);
            producer.abort(index);
            ExclusiveClaimStress.claimWriteCommit(producer, 2, 16);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r3 = consumedEverything(ring, consumer, 48);
            ring.release();
        }
    }

    /**
     * A dead producer's claim (payload written, header still the clean word: a shared claim writes no header, layout
     * v3) stalls the head while a live producer claims and commits behind it; the consumer reads three times. Result: types delivered by the consumer, types drained by the arbiter,
     * records unblocked.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "the dead claim was turned into padding and skipped; the " +
        "live producer's record delivered behind it")
    @Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "the dead claim was unblocked; the live producer had not " +
        "committed when the consumer looked")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the dead record delivered as data (1), not " +
        "unblocked " +
        "exactly once, or the live record lost, repeated or corrupt (9)")
    @State
    public static class DeadProducerAfterPayload
    {
        final Ring ring = new Ring();
        final RingProducer dead = ring.producer(1);
        final RingProducer live = ring.producer(2);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 16, 16);

        public DeadProducerAfterPayload()
        {
            final int index = dead.tryClaim(1, 16);
            Deliveries.write(dead.buffer(), index, 1, 16);
            die(ring, dead);
        }

        @Actor
        public void liveProducer()
        {
            ExclusiveClaimStress.claimWriteCommit(live, 2, 16);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r3 = (int)ring.unblockedRecords();
            ring.release();
        }
    }

    /**
     * As {@link DeadProducerAfterPayload}, but the producer died right after its claim (F5, F24), before writing any
     * payload. In both, only the slot's claim intent (F4) says how long the record is.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "the dead claim, sized from the slot's intent, was turned " +
        "into padding; the live record delivered behind it")
    @Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "the dead claim was unblocked; the live producer had not " +
        "committed when the consumer looked")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the dead record delivered as data, not unblocked " +
        "exactly once, padding of the wrong size (2 lost or corrupt), or 2 repeated")
    @State
    public static class DeadProducerBeforePayload
    {
        final Ring ring = new Ring();
        final RingProducer dead = ring.producer(1);
        final RingProducer live = ring.producer(2);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 16, 16);

        public DeadProducerBeforePayload()
        {
            dead.tryClaim(1, 16); // nothing written into the claim
            die(ring, dead);
        }

        @Actor
        public void liveProducer()
        {
            ExclusiveClaimStress.claimWriteCommit(live, 2, 16);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r3 = (int)ring.unblockedRecords();
            ring.release();
        }
    }

    /**
     * A live producer claimed in the set-up and commits in its actor, however late, while the consumer reads four
     * times, each a check interval later: the stall is analysed, the producer is alive, nothing is unblocked.
     * Result: types delivered by the consumer, types drained by the arbiter, records unblocked.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the consumer waited for the live producer and delivered")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "the producer committed after the consumer's reads; the " +
        "arbiter delivered")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: a live producer's claim unblocked, or its record " +
        "lost, repeated or corrupt (9)")
    @State
    public static class LiveProducerNeverUnblocked
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 16);
        final int index = producer.tryClaim(1, 16);

        @Actor
        public void slowProducer()
        {
            Deliveries.write(producer.buffer(), index, 1, 16);
            producer.commit(index);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r3 = (int)ring.unblockedRecords();
            ring.release();
        }
    }

    /**
     * The unblock CAS (F12) against a late commit (F7 CAS) of a producer the consumer believes dead (a frozen
     * process, or one misjudged). Exactly one may win: the record is delivered once and commit() says true, or it
     * is skipped once as padding and commit() says false (lost). Layout v2 turns v1's interesting outcomes (a late
     * commit writing into released space, a second unblock) into FORBIDDEN ones. Guarantee 7; F7, F8, F12. Result:
     * types delivered by the consumer, types drained by the arbiter, records unblocked, 1 if commit()'s answer
     * agrees with what was delivered and the space ahead of the tail is clean.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "the commit won; the consumer delivered it")
    @Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "the commit won after the consumer's reads; the " +
        "arbiter delivered it")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "the unblock won; the record was skipped as padding " +
        "and the late commit reported it lost")
    @Outcome(id = {"0, 0, 1, 0", "0, 0, 2, 1", "0, 0, 2, 0"}, expect = FORBIDDEN, desc = "v1's late-commit outcomes: " +
        "a commit that wrote over padding, or unblocked twice")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: delivered and unblocked, delivered twice, or corrupt")
    @State
    public static class LateCommitRacesUnblock
    {
        final Ring ring = new Ring();
        final RingProducer zombie = ring.producer(1);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 16);
        final int index = zombie.tryClaim(1, 16);

        public LateCommitRacesUnblock()
        {
            Deliveries.write(zombie.buffer(), index, 1, 16);
            die(ring, zombie);
        }

        int committed = -1;

        @Actor
        public void lateCommit()
        {
            committed = zombie.commit(index) ? 1 : 0;
        }

        @Actor
        public void consumer(final IIII_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r3 = (int)ring.unblockedRecords();
            final boolean delivered = r.r1 + r.r2 == 1;
            r.r4 = (committed == 1) == delivered && ring.spaceAheadOfTailIsClean() ? 1 : 0;
            ring.release();
        }
    }

    /**
     * What the unblocker relies on to name a stalled record's owner: a reader that sees a claim in the tail (F10)
     * also sees the claimer's intent in its slot (F11), because the producer released the intent (F4) before its
     * CAS (F5). Result: 1 if the reader saw the tail moved past position 0, 1 if it then saw the slot's intent at
     * position 0.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader looked before the producer published its intent")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the reader saw the intent published and the claim not yet " +
        "made (or read the tail before the CAS)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the reader saw the claim and the intent that names its owner")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a claimed position whose owner no slot names: a dead owner " +
        "would only be unblocked after the unidentified-stall timeout")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class ClaimIntentVisibleWithClaim
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final int intentOffset =
            SegmentDescriptor.producerSlotOffset(producer.slotIndex()) + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET;

        @Actor
        public void producer()
        {
            producer.tryClaim(1, 16);
        }

        @Actor
        public void unblockerReads(final II_Result r)
        {
            r.r1 = ring.tail() > 0 ? 1 : 0; // as F10
            r.r2 = ring.header.getLongAcquire(intentOffset) == 0 ? 1 : 0; // as F11
        }

        @Arbiter
        public void arbiter()
        {
            ring.release();
        }
    }

    /**
     * Make a producer's slot name a process that does not exist, as if the producer's process had died now.
     */
    static void die(final Ring ring, final RingProducer producer)
    {
        final int slot = SegmentDescriptor.producerSlotOffset(producer.slotIndex());
        ring.header.putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, DEAD_TOKEN);
    }

    /**
     * @return 1 if the consumer's position, the head and the tail all equal {@code expected}, else 0.
     */
    static int consumedEverything(final Ring ring, final RingConsumer consumer, final long expected)
    {
        return consumer.position() == expected && ring.head() == expected && ring.tail() == expected ? 1 : 0;
    }
}

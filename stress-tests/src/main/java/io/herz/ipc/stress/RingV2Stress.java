package io.herz.ipc.stress;

import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.SegmentDescriptor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Layout version 2 guarantees over the real ring on pooled mapped segments: lap reuse without zeroing (guarantee
 * 2), space released only by every consumer (guarantees 4 and 9), exclusive claims (guarantee 10) and a late commit
 * after an unblock when the ring has wrapped and the space is claimed again (guarantee 7).
 */
public final class RingV2Stress
{
    /** Records of the crafted lap: 4 x 256 bytes fill the 1024-byte ring. */
    static final int BIG_PAYLOAD = 248;

    private RingV2Stress()
    {
    }

    /**
     * Fill one lap with records of type 3 whose payloads are, word for word, records of type 2 (header then payload)
     * as the next lap would write them at those offsets, and consume it: the ring is drained with stale bytes that
     * look like committed records everywhere.
     */
    static void craftedLap(final RingProducer producer, final RingConsumer... consumers)
    {
        for (int r = 0; r < Ring.CAPACITY / 256; r++)
        {
            final int index = producer.tryClaim(3, BIG_PAYLOAD);
            for (int w = 0; w < BIG_PAYLOAD; w += 8)
            {
                // record offsets are multiples of 16 in the next lap: header at 0 mod 16, payload word at 8 mod 16
                final boolean headerSlot = ((index + w) & 15) == 0;
                producer.buffer().putLong(index + w, headerSlot ? RecordDescriptor.headerWord(16, 2) :
                    Deliveries.word(2, 0));
            }
            producer.commit(index);
        }
        for (final RingConsumer consumer : consumers)
        {
            Ring.drain(consumer, (type, buffer, offset, length) -> { });
        }
    }

    /**
     * After a drained lap of stale bytes crafted as type-2 records, a producer claims (cleaning the next chunk,
     * F20/F21) and commits a type-1 record while the consumer reads (F19, F8). Fences F19, F20, F21, F5, F7, F8.
     * Result: types the consumer delivered, types the arbiter drained.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the consumer looked before the commit")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the consumer delivered the new record")
    @Outcome(id = {"2, 1", "21, 0", "0, 21", "2, 0", "0, 2"}, expect = FORBIDDEN,
        desc = "stale bytes of the earlier lap taken for a record")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class LapReuseWithoutZeroing
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 8, BIG_PAYLOAD);

        public LapReuseWithoutZeroing()
        {
            craftedLap(producer, consumer);
            seen.take();
        }

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 8);
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
     * A full ring read by consumer "a" already; consumer "b" reads (and releases, F9) while a producer wants a
     * 256-byte record, which needs the space b holds (cleaning reads every position, F3). A third consumer "c"
     * reads only in the arbiter: its records must be intact whatever b and the producer did. Result: 1 if the claim
     * succeeded, b's delivered types, c's delivered types.
     */
    @JCStressTest
    @Outcome(id = "0, 3333, 3333", expect = ACCEPTABLE, desc = "the producer was back-pressured (c still holds it)")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: space reused before every consumer released it")
    @State
    public static class ThreeConsumersRelease
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer a = ring.consumer("a");
        final RingConsumer b = ring.consumer("b");
        final RingConsumer c = ring.consumer("c");
        final Deliveries seenB = new Deliveries(0, 8, 8, BIG_PAYLOAD);
        final Deliveries seenC = new Deliveries(0, 8, 8, BIG_PAYLOAD);

        public ThreeConsumersRelease()
        {
            for (int r = 0; r < Ring.CAPACITY / 256; r++)
            {
                ExclusiveClaimStress.claimWriteCommit(producer, 3, BIG_PAYLOAD);
            }
            Ring.drain(a, (type, buffer, offset, length) -> { });
        }

        @Actor
        public void consumerB(final III_Result r)
        {
            b.read(seenB);
            r.r2 = seenB.take();
        }

        @Actor
        public void producer(final III_Result r)
        {
            r.r1 = ExclusiveClaimStress.claimWriteCommit(producer, 3, BIG_PAYLOAD) >= 0 ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            c.read(seenC);
            r.r3 = seenC.take();
            producer.close();
            ring.release();
        }
    }

    /**
     * Two consumers: "a" has read the full ring, "b" reads while a producer claims. Once b has released, the claim
     * may succeed; b's records must be intact either way. Result: 1 if the claim succeeded, b's delivered types,
     * types a drained afterwards (the new record, if committed).
     */
    @JCStressTest
    @Outcome(id = "0, 3333, 0", expect = ACCEPTABLE, desc = "the producer claimed before b released")
    @Outcome(id = "1, 3333, 3", expect = ACCEPTABLE, desc = "b released first, the producer reused the space")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: b's records overwritten, or the new one lost")
    @State
    public static class TwoConsumersRelease
    {
        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final RingConsumer a = ring.consumer("a");
        final RingConsumer b = ring.consumer("b");
        final Deliveries seenA = new Deliveries(0, 8, 8, BIG_PAYLOAD);
        final Deliveries seenB = new Deliveries(0, 8, 8, BIG_PAYLOAD);

        public TwoConsumersRelease()
        {
            for (int r = 0; r < Ring.CAPACITY / 256; r++)
            {
                ExclusiveClaimStress.claimWriteCommit(producer, 3, BIG_PAYLOAD);
            }
            Ring.drain(a, (type, buffer, offset, length) -> { });
        }

        @Actor
        public void consumerB(final III_Result r)
        {
            b.read(seenB);
            r.r2 = seenB.take();
        }

        @Actor
        public void producer(final III_Result r)
        {
            r.r1 = ExclusiveClaimStress.claimWriteCommit(producer, 3, BIG_PAYLOAD) >= 0 ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(a, seenA);
            r.r3 = seenA.take();
            producer.close();
            ring.release();
        }
    }

    /**
     * An exclusive producer claims without a CAS (F5x release of the tail) two records while the consumer reads.
     * Fences F4, F5x, F28, F8, F10. Result: types the consumer delivered, types drained by the arbiter.
     */
    @JCStressTest
    @Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "the consumer looked before the first commit")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the consumer saw the first record only")
    @Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "the consumer saw both")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: reordered, lost, repeated or torn")
    @State
    public static class ExclusiveClaims
    {
        final Ring ring = new Ring();
        final RingProducer producer = RingProducer.exclusive(ring.segment, 1);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 24);

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 8);
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
     * What {@link LateCommitAfterWrap} and {@link LateCommitAfterWrapTwoActors} start from: a producer believed dead
     * had its claim at offset 0 unblocked; the ring then wrapped and a live producer claimed offset 0 again, one lap
     * later (its header the clean word of lap 1).
     */
    abstract static class WrappedOverZombie
    {
        final Ring ring = new Ring();
        final RingProducer zombie = ring.producer(1);
        final RingProducer live = ring.producer(2);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 8, 8);
        final int zombieIndex = zombie.tryClaim(1, 8);
        int liveIndex = -1;

        WrappedOverZombie()
        {
            Deliveries.write(zombie.buffer(), zombieIndex, 1, 8);
            AbortUnblockStress.die(ring, zombie);
            for (int i = 0; i < 8 && ring.unblockedRecords() == 0; i++)
            {
                consumer.read(seen);
            }
            while (liveIndex != zombieIndex)
            {
                if (liveIndex >= 0)
                {
                    live.commit(liveIndex);
                    Ring.drain(consumer, seen);
                }
                liveIndex = live.tryClaim(2, 8);
                Deliveries.write(live.buffer(), liveIndex, 2, 8);
            }
            seen.take();
        }

        void release()
        {
            live.close();
            ring.release();
        }
    }

    /**
     * The "dead" producer of {@link WrappedOverZombie} commits late, racing the live producer's commit and the
     * consumer. The late CAS (F7) must fail on the next lap's clean word (other lap number) or on the live record,
     * so only the live record is delivered, once. Result: 1 if the late commit claimed success, types delivered by
     * the consumer, types drained by the arbiter. Three actors: jcstress runs it only on a machine with at least
     * three CPUs (on two it reports "no scheduling is possible" and skips it); {@link LateCommitAfterWrapTwoActors}
     * is the same race without the consumer actor.
     */
    @JCStressTest
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "the consumer delivered the live record; late commit lost")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "the consumer looked before the live commit")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the late commit wrote over the next lap's claim")
    @State
    public static class LateCommitAfterWrap extends WrappedOverZombie
    {
        @Actor
        public void lateCommit(final III_Result r)
        {
            r.r1 = zombie.commit(zombieIndex) ? 1 : 0;
        }

        @Actor
        public void liveCommit()
        {
            live.commit(liveIndex);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            consumer.read(seen);
            r.r2 = seen.take();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r3 = seen.take();
            release();
        }
    }

    /**
     * {@link LateCommitAfterWrap} with two actors, so that it runs on two CPUs: the late commit races the live
     * producer's commit; the arbiter drains. Fences F7 (both commits, from the clean words of laps 0 and 1), F8.
     * Result: 1 if the late commit claimed success, 1 if the live commit did, types drained by the arbiter.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "the late commit failed, whichever came first; the live " +
        "record delivered once")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the late commit wrote over the next lap's claim " +
        "(1 delivered, or the live commit lost)")
    @State
    public static class LateCommitAfterWrapTwoActors extends WrappedOverZombie
    {
        @Actor
        public void lateCommit(final III_Result r)
        {
            r.r1 = zombie.commit(zombieIndex) ? 1 : 0;
        }

        @Actor
        public void liveCommit(final III_Result r)
        {
            r.r2 = live.commit(liveIndex) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            Ring.drain(consumer, seen);
            r.r3 = seen.take();
            release();
        }
    }

    /**
     * Issue 12 item 6, last case, over the real classes: producer L published its claim intent for position 0 (F4)
     * and was stopped before its tail CAS, which it then lost to producer W; W won [0, 24) (F5), recorded it (F24)
     * and died before its commit (its header stays the clean word). L's stale intent [0, 48) still covers the stalled
     * head, with a length of its own. The consumer must unblock W's claim at once (a dead winner owns the position,
     * F25 tells the winner from the loser), sized from W's intent, not L's, and must never pad L's record: when L
     * runs again it claims [24, 48) and commits type 2. Fences F4, F5, F7, F8, F10, F11, F12, F24, F25.
     * Result: types the consumer delivered, types the arbiter drained, records unblocked when the consumer's three
     * reads were done, records unblocked in all.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1, 1", expect = ACCEPTABLE, desc = "the dead winner was padded while the stopped loser's " +
        "intent covered it; the loser ran again and its record was delivered")
    @Outcome(id = "0, 2, 1, 1", expect = ACCEPTABLE, desc = "the dead winner was padded while the loser was still " +
        "stopped; the loser's record came after the consumer's reads")
    @Outcome(id = {"0, 0, 0, 1", "0, 2, 0, 1"}, expect = FORBIDDEN, desc = "the v1 unblocker: it waited on the " +
        "stopped loser's live intent instead of padding the dead winner's claim (seen with that rule put back: the " +
        "arbiter pads it later, and its drain stops at the read that only padded)")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the dead record delivered, padding sized from the " +
        "loser's intent (its record swallowed: 2 lost), the loser's record padded, repeated or corrupt (9)")
    @State
    public static class DeadWinnerStaleLoser
    {
        final Ring ring = new Ring();
        final RingProducer winner = ring.producer(1);
        final RingProducer loser = ring.producer(2);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 16, 16);

        public DeadWinnerStaleLoser()
        {
            final int loserSlot = SegmentDescriptor.producerSlotOffset(loser.slotIndex());
            // What the loser's F4 left before its CAS: intent [0, 48); claimedPosition stays NO_CLAIM (never won).
            ring.header.putLong(loserSlot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, 48);
            ring.header.putLongRelease(loserSlot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, 0);
            final int index = winner.tryClaim(1, 16); // F4, F5 won, F24
            Deliveries.write(winner.buffer(), index, 1, 16); // and died before its commit (F7)
            AbortUnblockStress.die(ring, winner);
        }

        @Actor
        public void loserRunsAgain()
        {
            ExclusiveClaimStress.claimWriteCommit(loser, 2, 16);
        }

        @Actor
        public void consumer(final IIII_Result r)
        {
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r1 = seen.take();
            r.r3 = (int)ring.unblockedRecords();
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            Ring.drain(consumer, seen);
            r.r2 = seen.take();
            r.r4 = (int)ring.unblockedRecords();
            ring.release();
        }
    }
}

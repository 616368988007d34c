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

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Guarantee 7 with two unblockers: a registering producer that takes a dead winner's slot pads what is left of that
 * claim itself ({@code ProducerRegistry.padDeadClaim}, F27), while a consumer that reached the same stalled header
 * unblocks it too (F12). Both CAS exactly the clean word they read, so one of them pads: the dead record is never
 * delivered, it is counted once, and the live record behind it is delivered exactly once.
 * <p>
 * "Dead" as in {@link AbortUnblockStress}: a real producer claims and writes in the set-up, then its slot's owner
 * token and pid are overwritten with those of pid 2<sup>31</sup>-1, which no process can have (a registrant judges
 * with the slot's pid as well: a pid that does not match the token means "owner still registering", alive).
 * Fences F7, F8, F12, F16, F22, F25, F27.
 */
public final class RegistrantUnblockStress
{
    private RegistrantUnblockStress()
    {
    }

    /**
     * The dead producer holds slot 0 with a claim at position 0 (header still clean); a live producer's committed record
     * follows. Actor 1 registers a new producer (it scans slot 0 first); actor 2 reads as the consumer, whose
     * unblocker pads the stall on its second empty read. Result: types delivered in the actor, types the arbiter
     * drained ({@link Deliveries}: 2 is the live record), unblocked records (ring-wide), and 1 if the registrant took
     * the dead producer's slot with the claim padded, 0 if it took another slot with the claim padded, 9 if the
     * claim is not padding.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1, 1", expect = ACCEPTABLE, desc = "one of the two padded the dead claim; the consumer " +
        "delivered the live record behind it in its reads; the registrant has the dead producer's slot")
    @Outcome(id = "0, 2, 1, 1", expect = ACCEPTABLE, desc = "the same, the consumer's reads came before the padding")
    @Outcome(id = {"2, 0, 1, 0", "0, 2, 1, 0"}, expect = ACCEPTABLE_INTERESTING, desc = "the registrant found the " +
        "ring lock taken (nothing pads without it) and took a free slot; the consumer unblocked the claim")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: the dead record delivered as data, padded or counted " +
        "twice (unblocked 2), the live record lost or repeated, or the dead slot reclaimed with its claim unpadded")
    @State
    public static class RegistrantRacesConsumer
    {
        final Ring ring = new Ring();
        final RingProducer dead = ring.producer(1);
        final RingProducer live = ring.producer(2);
        final RingConsumer consumer = ring.consumer(new StepClock());
        final Deliveries seen = new Deliveries(0, 16, 16);
        RingProducer registrant;

        public RegistrantRacesConsumer()
        {
            final int index = dead.tryClaim(1, 16);
            Deliveries.write(dead.buffer(), index, 1, 16);
            ExclusiveClaimStress.claimWriteCommit(live, 2, 16);
            final int slot = SegmentDescriptor.producerSlotOffset(dead.slotIndex());
            ring.header.putLongRelease(slot + ProducerSlotDescriptor.PID_OFFSET, Integer.MAX_VALUE);
            ring.header.putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, AbortUnblockStress.DEAD_TOKEN);
        }

        @Actor
        public void registrant()
        {
            registrant = ring.producer(3);
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
            final int word = (int)ring.data.getLongVolatile(0);
            final boolean padded = word == RecordDescriptor.alignedRecordLength(16) &&
                (int)(ring.data.getLongVolatile(0) >>> 32) == RecordDescriptor.PADDING_TYPE_ID;
            r.r4 = registrant.slotIndex() == dead.slotIndex() && padded ? 1 : (padded ? 0 : 9);
            ring.release();
        }
    }
}

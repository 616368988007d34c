package io.herz.ipc.stress.canary;

import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.stress.SegmentPool;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * CANARY, deliberately broken: the claim intent published AFTER the tail CAS instead of before it (F4 must precede
 * F5). A reader doing what the unblocker does (tail with F10, then the slot's intent with F11) can then see a claimed
 * position that no slot names. The twin of {@code AbortUnblockStress.ClaimIntentVisibleWithClaim}, with the same
 * outcomes; "1, 0" is FORBIDDEN. This is a program-order bug, not a hardware reordering, so x86 shows it whenever
 * the reader runs between the two stores. Excluded from the default and CI runs.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader looked before the claim")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the reader read the tail before the CAS, the intent after it")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the reader saw the claim and the intent")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a claimed position whose owner no slot names: the bug this " +
    "canary plants")
@Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
@State
public class IntentAfterClaimStress
{
    private static final int INTENT_OFFSET =
        SegmentDescriptor.producerSlotOffset(0) + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET;

    final Segment segment = SegmentPool.acquire(0);
    final AtomicBuffer header = segment.buffer();

    @Actor
    public void brokenProducer()
    {
        // BROKEN on purpose: the claim (F5) first ...
        header.compareAndSetLong(SegmentDescriptor.TAIL_POSITION_OFFSET, 0, 16);
        // ... and only then the intent that should have preceded it (F4).
        header.putLongRelease(INTENT_OFFSET, 0);
    }

    @Actor
    public void unblockerReads(final II_Result r)
    {
        r.r1 = header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET) > 0 ? 1 : 0;
        r.r2 = header.getLongAcquire(INTENT_OFFSET) == 0 ? 1 : 0;
    }

    @Arbiter
    public void arbiter()
    {
        SegmentPool.release(segment);
    }
}

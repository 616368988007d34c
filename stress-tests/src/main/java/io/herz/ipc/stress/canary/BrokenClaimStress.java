package io.herz.ipc.stress.canary;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.stress.SegmentPool;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static io.herz.ipc.ring.RecordDescriptor.ALIGNMENT;
import static io.herz.ipc.ring.RecordDescriptor.HEADER_LENGTH;
import static io.herz.ipc.ring.RecordDescriptor.headerWord;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * CANARY, deliberately broken: guarantee 1 (exclusive claim) with the tail advanced by a volatile load and a volatile
 * store (each one ordered, but not one atomic step) instead of F5's compare-and-set, on a real pooled segment. Two
 * producers that both load the same tail both get the same space, and one advance of the tail is lost. x86 shows
 * this: it is a lost update between two cores, not a reordering, so no weak memory model is needed to see it. The
 * outcome is marked FORBIDDEN, exactly as in {@code ExclusiveClaimStress}, so that a run that includes this canary
 * fails: that proves the harness (and the build's jcstress step) detect a broken claim. Excluded from the default
 * and CI runs by the test filter.
 * <p>
 * Result fields: payload offsets of producers 1 and 2, then the tail.
 */
@JCStressTest
@Outcome(id = "8, 24, 32", expect = ACCEPTABLE, desc = "producer 1 claimed first; ranges disjoint")
@Outcome(id = "24, 8, 32", expect = ACCEPTABLE, desc = "producer 2 claimed first; ranges disjoint")
@Outcome(id = {"8, 8, 16"}, expect = FORBIDDEN, desc = "both producers got the same space and one tail advance was " +
    "lost: the bug this canary plants")
@Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
@State
public class BrokenClaimStress
{
    final Segment segment = SegmentPool.acquire(0);
    final AtomicBuffer header = segment.buffer();
    final AtomicBuffer data = segment.dataBuffer();

    @Actor
    public void producer1(final III_Result r)
    {
        r.r1 = brokenClaim(1, 8);
    }

    @Actor
    public void producer2(final III_Result r)
    {
        r.r2 = brokenClaim(2, 8);
    }

    @Arbiter
    public void arbiter(final III_Result r)
    {
        r.r3 = (int)header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
        SegmentPool.release(segment);
    }

    private int brokenClaim(final int typeId, final int length)
    {
        final int recordLength = length + HEADER_LENGTH;
        final int alignedLength = BitUtil.align(recordLength, ALIGNMENT);
        // BROKEN on purpose: read-modify-write of the shared tail without an atomic CAS (compare F5).
        final long tail = header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
        header.putLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET, tail + alignedLength);
        final int recordIndex = (int)tail & (SegmentPool.CAPACITY - 1);
        data.putLongRelease(recordIndex, headerWord(-recordLength, typeId));
        return recordIndex + HEADER_LENGTH;
    }
}

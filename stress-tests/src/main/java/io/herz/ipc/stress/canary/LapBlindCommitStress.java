package io.herz.ipc.stress.canary;

import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.stress.SegmentPool;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * CANARY, deliberately broken: guarantee 7 (a late commit after an unblock is reported lost) with a commit that
 * checks only that the header's length half is 0 (clean) and ignores the lap in the clean word's type half. That is
 * what a commit CAS from 0 would be if clean space were zeros (layout version 2 without its claimed word): a
 * producer whose claim at offset 0 was unblocked, consumed and cleaned again a lap later commits over whatever
 * claim holds offset 0 now. The set-up leaves the real ring with a live producer's claim at offset 0 of lap 1 (its
 * header the clean word of lap 1); the broken actor commits a record of type 1 there, racing the live producer's
 * commit of type 2. The outcomes are marked as in {@code RingV2Stress.LateCommitAfterWrapTwoActors}, where the real
 * commit's CAS from the clean word of lap 0 fails, so a run that includes this canary fails: the harness sees a
 * lap-blind commit. Excluded from the default and CI runs by the test filter.
 * <p>
 * Result fields: 1 if the broken commit succeeded, 1 if the live commit did, then the types the arbiter drained, as
 * decimal digits in delivery order.
 */
@JCStressTest
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "the live commit came first; the late commit found it and failed")
@Outcome(expect = FORBIDDEN, desc = "the late commit landed on the next lap's claim (1 delivered, the live commit " +
    "lost): the bug this canary plants")
@State
public class LapBlindCommitStress
{
    private static final int PAYLOAD = 8;
    private static final int RECORD = RecordDescriptor.alignedRecordLength(PAYLOAD);

    final Segment segment = SegmentPool.acquire(0);
    final AtomicBuffer data = segment.dataBuffer();
    final RingProducer live = new RingProducer(segment, 2);
    final RingConsumer consumer = new RingConsumer(segment);
    final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
    final int liveIndex;
    int delivered;

    public LapBlindCommitStress()
    {
        // One lap of records, all consumed: the next claim is at offset 0 of lap 1, cleaned for lap 1.
        for (int r = 0; r < segment.capacity() / RECORD; r++)
        {
            live.offer(3, payload, 0, PAYLOAD);
            consumer.read((type, buffer, offset, length) -> { });
        }
        liveIndex = live.tryClaim(2, PAYLOAD);
    }

    @Actor
    public void lateLapBlindCommit(final III_Result r)
    {
        // BROKEN on purpose: "clean" judged by the length half alone (compare F7, a CAS from the clean word of the
        // claim's own lap, 0 for lap 0).
        final long word = data.getLongVolatile(0);
        r.r1 = (int)word == 0 && data.compareAndSetLong(0, word, RecordDescriptor.headerWord(RECORD, 1)) ? 1 : 0;
    }

    @Actor
    public void liveCommit(final III_Result r)
    {
        r.r2 = live.commit(liveIndex) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(final III_Result r)
    {
        while (consumer.read(this::collect) > 0)
        {
            // drain
        }
        r.r3 = delivered;
        live.close();
        consumer.close();
        SegmentPool.release(segment);
    }

    private void collect(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        delivered = delivered * 10 + type;
    }
}

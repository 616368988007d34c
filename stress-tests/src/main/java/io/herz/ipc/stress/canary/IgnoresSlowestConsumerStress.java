package io.herz.ipc.stress.canary;

import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
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
 * CANARY, deliberately broken: a release that ignores the slowest consumer. Before claiming, the producer hides
 * consumer "slow" from the cleaning producer's view of the consumer table (as a cleaner that took the fastest
 * position, not the slowest, would), so it cleans and reuses space "slow" has not read yet. The outcomes of the
 * real protocol (RingV2Stress.TwoConsumersRelease) are the only ACCEPTABLE ones; this canary must show FORBIDDEN
 * outcomes, proving the suite sees the bug it guards against. Excluded from the CI pass.
 */
@JCStressTest
@Outcome(id = "0, 4", expect = ACCEPTABLE, desc = "slow read everything before the producer got to it")
@Outcome(id = "1, 4", expect = ACCEPTABLE, desc = "slow read everything, then the producer reused the space")
@Outcome(expect = FORBIDDEN, desc = "slow's unread records were overwritten (or -1: its consumer saw " +
    "cleanPosition run more than a ring ahead): the canary fired")
@State
public class IgnoresSlowestConsumerStress
{
    private static final int PAYLOAD = 248;

    final Segment segment = SegmentPool.acquire(0);
    final RingProducer producer = new RingProducer(segment, 1);
    final RingConsumer fast = new RingConsumer(segment, "fast", RingConsumers.StartPosition.OLDEST);
    final RingConsumer slow = new RingConsumer(segment, "slow", RingConsumers.StartPosition.OLDEST);
    final AtomicBuffer header = segment.buffer();
    int intact;

    public IgnoresSlowestConsumerStress()
    {
        for (int r = 0; r < 4; r++)
        {
            final int index = producer.tryClaim(3, PAYLOAD);
            producer.buffer().setMemory(index, PAYLOAD, (byte)0x33);
            producer.commit(index);
        }
        while (fast.read((type, buffer, offset, length) -> { }) > 0)
        {
            // drain
        }
    }

    @Actor
    public void slowConsumer(final II_Result r)
    {
        try
        {
            read();
        }
        catch (final SegmentException ex)
        {
            intact = -1; // the real consumer noticed cleanPosition more than a ring ahead of it: also the bug
        }
        r.r2 = intact;
    }

    private void read()
    {
        slow.read((type, buffer, offset, length) ->
        {
            boolean ok = type == 3 && length == PAYLOAD;
            for (int i = 0; ok && i < length; i += 8)
            {
                ok = buffer.getLong(offset + i) == 0x3333_3333_3333_3333L;
            }
            intact += ok ? 1 : 0;
        });
    }

    @Actor
    public void brokenProducer(final II_Result r)
    {
        // BROKEN: "slow" is ignored by the release logic (its slot looks free to the cleaner).
        header.putIntRelease(SegmentDescriptor.consumerSlotOffset(slow.slotIndex()) + ConsumerSlotDescriptor.STATE_OFFSET,
            ConsumerSlotDescriptor.STATE_FREE);
        final int index = producer.tryClaim(3, PAYLOAD);
        if (index >= 0)
        {
            producer.buffer().setMemory(index, PAYLOAD, (byte)0x44);
            producer.commit(index);
        }
        r.r1 = index >= 0 ? 1 : 0;
    }

    @Arbiter
    public void arbiter()
    {
        producer.close();
        SegmentPool.release(segment);
    }
}

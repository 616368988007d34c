package io.herz.ipc.stress.canary;

import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.stress.SegmentPool;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * CANARY, deliberately broken: a consumer that waits for a commit by polling the record's length with a PLAIN load
 * instead of F8's acquire load. The real {@link RingProducer} commits (F7) in the signal; the broken consumer loop
 * may never see it, because the Java Memory Model lets the JIT hoist a plain load out of a loop with no other
 * memory effects. Termination mode: STALE (the loop did not end after the commit) is FORBIDDEN. Excluded from the
 * default and CI runs. Segments are taken from the pool and not returned: termination tests have no arbiter, and
 * the pool creates new ones (jcstress runs few termination samples).
 * <p>
 * Measured: this breakage did NOT show on this machine (see {@code stress-tests/README.md}): HotSpot's C2 does not
 * hoist Agrona's {@code UnsafeBuffer.getInt} (an {@code Unsafe} load from raw memory) out of the loop, so every
 * sample terminated. Nothing in the Java Memory Model promises that; the ring must keep F8 an acquire load. The
 * canaries that do fail here are {@link BrokenClaimStress} and {@link IntentAfterClaimStress}.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the consumer saw the commit and stopped waiting")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the consumer never saw the commit: its plain load was hoisted " +
    "out of the loop, the bug this canary plants")
@State
public class PlainPollStress
{
    final Segment segment = SegmentPool.acquire(0);
    final AtomicBuffer data = segment.dataBuffer();
    final RingProducer producer = new RingProducer(segment, 1);
    final int index = producer.tryClaim(1, 8);

    @Actor
    public void consumer()
    {
        final int lengthOffset = index - RecordDescriptor.HEADER_LENGTH;
        // BROKEN on purpose: plain load where F8 is an acquire load.
        while (data.getInt(lengthOffset) <= 0)
        {
            // spin
        }
    }

    @Signal
    public void producer()
    {
        producer.commit(index);
    }
}

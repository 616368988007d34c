package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Wrap-around (guarantees 1 to 4 at the end of the data area): a claim that would straddle the end of the buffer
 * takes the rest of the buffer as a padding record and its record starts at offset 0, in the same CAS; the
 * consumer skips the padding, delivers the record, and every byte is consumed exactly once.
 * <p>
 * The ring starts drained at position 1008, 16 bytes before the end of its 1024-byte data area. Two producers
 * claim concurrently while the other thread, after its own claim, reads as the consumer (three reads: up to the end
 * of the data area, from the start, and once more).
 * <p>
 * Fences: F2/F5 (claim of padding plus record in one CAS), F7 (padding committed with its positive length at once,
 * then the record's commit), F8 (consumer), F9 (head moves past padding and record).
 * <p>
 * Result fields: payload offsets of producers 1 and 2, types delivered by the consumer in the actor, types the
 * arbiter drained, bytes consumed in all (head - 1008 after draining, which must equal tail - 1008).
 */
public final class WrapAroundStress
{
    static final long START = Ring.CAPACITY - 16;

    private WrapAroundStress()
    {
    }

    /**
     * Both producers need 32 bytes: whoever claims first pads 16 bytes and writes at offset 0; the other follows at
     * offset 32.
     */
    @JCStressTest
    @Outcome(id = "8, 40, 12, 0, 80", expect = ACCEPTABLE, desc = "1 wrapped with padding, 2 followed; consumer got both")
    @Outcome(id = "8, 40, 0, 12, 80", expect = ACCEPTABLE_INTERESTING,
        desc = "1 wrapped with padding, 2 followed; consumer looked before 1's commit, 2's was held back")
    @Outcome(id = "40, 8, 21, 0, 80", expect = ACCEPTABLE, desc = "2 wrapped with padding, 1 followed; consumer got both")
    @Outcome(id = "40, 8, 2, 1, 80", expect = ACCEPTABLE,
        desc = "2 wrapped with padding, 1 followed; consumer looked before 1's commit")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: a record straddling the end, overlapping claims, " +
        "padding delivered as data, lost, repeated or corrupt (9) records, or bytes not consumed exactly once")
    @State
    public static class BothStraddle
    {
        final Ring ring = new Ring(START);
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 24, 24);

        @Actor
        public void producer1(final IIIII_Result r)
        {
            r.r1 = ExclusiveClaimStress.claimWriteCommit(p1, 1, 24);
        }

        @Actor
        public void producer2ThenConsumer(final IIIII_Result r)
        {
            r.r2 = ExclusiveClaimStress.claimWriteCommit(p2, 2, 24);
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r3 = seen.take();
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            Ring.drain(consumer, seen);
            r.r4 = seen.take();
            final long tail = ring.tail();
            r.r5 = consumer.position() == tail && ring.head() == tail ? (int)(tail - START) : -1;
            ring.release();
        }
    }

    /**
     * Producer 1 needs exactly the 16 bytes left, producer 2 needs 32: if 1 claims first it fits without padding
     * and 2 starts at offset 0; if 2 claims first it pads and 1 follows it at offset 32.
     */
    @JCStressTest
    @Outcome(id = "1016, 8, 12, 0, 48", expect = ACCEPTABLE, desc = "1 fitted exactly, 2 wrapped without padding; " +
        "consumer got both")
    @Outcome(id = "1016, 8, 0, 12, 48", expect = ACCEPTABLE_INTERESTING, desc = "1 fitted exactly, 2 wrapped without " +
        "padding; consumer looked before 1's commit, 2's was held back")
    @Outcome(id = "40, 8, 21, 0, 64", expect = ACCEPTABLE, desc = "2 wrapped with 16 bytes of padding, 1 followed; " +
        "consumer got both")
    @Outcome(id = "40, 8, 2, 1, 64", expect = ACCEPTABLE, desc = "2 wrapped with 16 bytes of padding, 1 followed; " +
        "consumer looked before 1's commit")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug: a record straddling the end, overlapping claims, " +
        "padding delivered as data, lost, repeated or corrupt (9) records, or bytes not consumed exactly once")
    @State
    public static class ExactFitOrStraddle
    {
        final Ring ring = new Ring(START);
        final RingProducer p1 = ring.producer(1);
        final RingProducer p2 = ring.producer(2);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8, 24);

        @Actor
        public void producer1(final IIIII_Result r)
        {
            r.r1 = ExclusiveClaimStress.claimWriteCommit(p1, 1, 8);
        }

        @Actor
        public void producer2ThenConsumer(final IIIII_Result r)
        {
            r.r2 = ExclusiveClaimStress.claimWriteCommit(p2, 2, 24);
            consumer.read(seen);
            consumer.read(seen);
            consumer.read(seen);
            r.r3 = seen.take();
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            Ring.drain(consumer, seen);
            r.r4 = seen.take();
            final long tail = ring.tail();
            r.r5 = consumer.position() == tail && ring.head() == tail ? (int)(tail - START) : -1;
            ring.release();
        }
    }
}

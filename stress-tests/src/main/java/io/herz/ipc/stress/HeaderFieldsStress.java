package io.herz.ipc.stress;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.segment.SegmentDescriptor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Header fields read by a monitor ({@code herz stat}): heartbeats and positions are 8-byte aligned words written by
 * one release store (or CAS) each, so a monitor reading them with an acquire load never sees half of an old value
 * and half of a new one, and fields published in a given order are observed in that order.
 * <p>
 * Each scenario makes the old and the new value differ in both 32-bit halves, so a torn read is visible: positions
 * start just below 2<sup>32</sup> (a ring that has carried 4 GiB, all consumed) and cross it.
 * <p>
 * Fences: F17 (producer heartbeat release), F5 (tail CAS), F13 (pendingHead release) before F9 (head release);
 * the monitor side is an acquire load of each field ({@code getLongAcquire}), as a monitor reads them.
 * <p>
 * Result encoding: 1 = the old value, 2 = the new value, -1 = anything else (torn).
 */
public final class HeaderFieldsStress
{
    /** 16 bytes before both the end of the data area and 2^32. */
    static final long START = (1L << 32) - 16;

    private HeaderFieldsStress()
    {
    }

    static int classify(final long value, final long oldValue, final long newValue)
    {
        return value == oldValue ? 1 : value == newValue ? 2 : -1;
    }

    /**
     * A producer's heartbeat goes from 0x1111_1111_1111_1111 to 0x2222_2222_2222_2222 while a monitor reads it.
     */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the monitor read the old heartbeat")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "the monitor read the new heartbeat")
    @Outcome(id = "-1", expect = FORBIDDEN, desc = "torn heartbeat: halves of two values")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class ProducerHeartbeat
    {
        static final long OLD = 0x1111_1111_1111_1111L;
        static final long NEW = 0x2222_2222_2222_2222L;

        final Ring ring = new Ring();
        final RingProducer producer = ring.producer(1);
        final int heartbeatOffset =
            SegmentDescriptor.producerSlotOffset(producer.slotIndex()) + ProducerSlotDescriptor.HEARTBEAT_OFFSET;

        public ProducerHeartbeat()
        {
            producer.heartbeat(OLD);
        }

        @Actor
        public void producer()
        {
            producer.heartbeat(NEW);
        }

        @Actor
        public void monitor(final I_Result r)
        {
            r.r1 = classify(ring.header.getLongAcquire(heartbeatOffset), OLD, NEW);
        }

        @Arbiter
        public void arbiter()
        {
            ring.release();
        }
    }

    /**
     * A producer's claim moves the tail from 2^32 - 16 to 2^32 + 32 (16 bytes of padding, then a 32-byte record at
     * offset 0) while a monitor reads it.
     */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the monitor read the tail before the claim")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "the monitor read the tail after the claim")
    @Outcome(id = "-1", expect = FORBIDDEN, desc = "torn tail: halves of two positions")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class TailPosition
    {
        final Ring ring = new Ring(START);
        final RingProducer producer = ring.producer(1);

        @Actor
        public void producer()
        {
            ExclusiveClaimStress.claimWriteCommit(producer, 1, 24);
        }

        @Actor
        public void monitor(final I_Result r)
        {
            r.r1 = classify(ring.tail(), START, START + 48);
        }

        @Arbiter
        public void arbiter()
        {
            ring.release();
        }
    }

    /**
     * The consumer consumes a 16-byte record at 2^32 - 16, moving its position (F9 release) to 2^32 and then its
     * recordsConsumed count (release), while a monitor reads the count (acquire) and then the position. Result:
     * count (1 old, 2 new), position (1 old, 2 new).
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the monitor looked before the consumer released")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the monitor looked between the two stores")
    @Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "the monitor looked after the release")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "new count seen but the position, released before it, still old")
    @Outcome(id = {"-1, 1", "-1, 2", "1, -1", "2, -1", "-1, -1"}, expect = FORBIDDEN,
        desc = "torn value: halves of two values")
    @Outcome(expect = FORBIDDEN, desc = "anything else is a bug")
    @State
    public static class HeadPosition
    {
        final Ring ring = new Ring(START);
        final RingConsumer consumer = ring.consumer();
        final Deliveries seen = new Deliveries(0, 8);

        public HeadPosition()
        {
            try (RingProducer producer = ring.producer(1))
            {
                ExclusiveClaimStress.claimWriteCommit(producer, 1, 8);
            }
        }

        @Actor
        public void consumer()
        {
            consumer.read(seen);
        }

        @Actor
        public void monitor(final II_Result r)
        {
            r.r1 = classify(ring.recordsConsumed(), 0, 1);
            r.r2 = classify(ring.head(), START, START + 16);
        }

        @Arbiter
        public void arbiter()
        {
            ring.release();
        }
    }
}

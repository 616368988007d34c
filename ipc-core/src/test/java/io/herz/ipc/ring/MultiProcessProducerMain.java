package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A producer JVM of {@code MultiProcessRingTest}: opens the ring (bounded wait for the consumer to create it) and
 * publishes {@code records} records of {@link TestRecords} format, every third one with {@code offer} (copying) and
 * the others with {@code tryClaim}/{@code commit} (in place). Every {@value #ABORT_PERIOD}th step it also claims a
 * record of type {@link TestRecords#ABORTED_TYPE_ID} and aborts it, which the consumer must never see. Prints one
 * {@code PRODUCER} line and exits 0, or 3 when it cannot finish before the deadline.
 * <p>
 * Arguments: {@code segmentPath producerId records timeoutMs spread idle}, where {@code idle} names the Agrona idle
 * strategy used on back-pressure: {@code backoff}, {@code yielding} or {@code sleeping}.
 */
public final class MultiProcessProducerMain
{
    static final long ABORT_PERIOD = 10_007;

    private MultiProcessProducerMain()
    {
    }

    public static void main(final String[] args)
    {
        final Path path = Path.of(args[0]);
        final int producerId = Integer.parseInt(args[1]);
        final long records = Long.parseLong(args[2]);
        final long timeoutMs = Long.parseLong(args[3]);
        final int spread = Integer.parseInt(args[4]);
        final IdleStrategy idle = idleStrategy(args[5]);

        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long aborted = 0;
        long abortedSequence = -1;
        long backPressured = 0;
        boolean timedOut = false;
        try (Segment segment = Segment.open(path, new SegmentConfig().openTimeoutMs(timeoutMs));
            RingProducer producer = new RingProducer(segment, producerId))
        {
            final int maxRecordLength = segment.maxRecordLength();
            final AtomicBuffer ring = producer.buffer();
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[maxRecordLength]);
            long sequence = 0;
            while (sequence < records)
            {
                final int length = TestRecords.payloadLength(producerId, sequence, maxRecordLength, spread);
                boolean done;
                boolean abortPending = false;
                if (sequence % ABORT_PERIOD == 5 && abortedSequence != sequence)
                {
                    final int index = producer.tryClaim(TestRecords.ABORTED_TYPE_ID, length);
                    if (index >= 0)
                    {
                        TestRecords.write(ring, index, producerId, sequence, length);
                        producer.abort(index);
                        abortedSequence = sequence;
                        aborted++;
                    }
                    else
                    {
                        abortPending = true; // back-pressured: retry the aborted claim before this record
                    }
                }
                if (abortPending)
                {
                    done = false;
                }
                else if (sequence % 3 == 0)
                {
                    TestRecords.write(scratch, 0, producerId, sequence, length);
                    done = producer.offer(TestRecords.DATA_TYPE_ID, scratch, 0, length);
                }
                else
                {
                    final int index = producer.tryClaim(TestRecords.DATA_TYPE_ID, length);
                    done = index >= 0;
                    if (done)
                    {
                        TestRecords.write(ring, index, producerId, sequence, length);
                        producer.commit(index);
                    }
                }
                if (done)
                {
                    sequence++;
                    idle.reset();
                }
                else
                {
                    backPressured++;
                    if (System.nanoTime() - deadlineNs >= 0)
                    {
                        timedOut = true;
                        break;
                    }
                    idle.idle();
                }
            }
            System.out.println("PRODUCER id=" + producerId + " records=" + sequence + " aborted=" + aborted +
                " backPressured=" + backPressured + " slot=" + producer.slotIndex() + " idle=" + idle.alias() +
                " elapsedMs=" +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        }
        System.out.flush();
        System.exit(timedOut ? 3 : 0);
    }

    private static IdleStrategy idleStrategy(final String name)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(
                    10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
            case "yielding":
                return new YieldingIdleStrategy();
            case "sleeping":
                return new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(50));
            default:
                throw new IllegalArgumentException("idle strategy not known: expected backoff, yielding or sleeping, " +
                    "found " + name);
        }
    }
}

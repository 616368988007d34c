package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * The consumer JVM of {@code MultiProcessRingTest}: creates the ring, reads every producer's records and checks
 * them (no loss, no duplicate, per-producer order, length, checksum, no aborted record), then prints one
 * {@code SUMMARY} line and exits 0 when every check passed, 2 when a check failed, 3 on timeout.
 * <p>
 * Arguments: {@code segmentPath capacity producers recordsPerProducer timeoutMs}.
 */
public final class MultiProcessConsumerMain implements MessageHandler
{
    /** After the last expected record, keep reading this long to catch extra (duplicate or aborted) records. */
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(300);

    private final int producers;
    private final long recordsPerProducer;
    private final int maxRecordLength;
    private final int spread;
    private final BitSet[] seen;
    private final long[] lastSequence;

    private long delivered;
    private long duplicates;
    private long outOfOrder;
    private long badChecksum;
    private long badLength;
    private long badProducer;
    private long abortedDelivered;
    private long unknownType;
    private long maxLengthRecords;
    private long payloadBytes;
    private long producerSwitches;
    private int lastProducerId = -1;

    private MultiProcessConsumerMain(
        final int producers, final long recordsPerProducer, final int maxRecordLength, final int spread)
    {
        this.producers = producers;
        this.recordsPerProducer = recordsPerProducer;
        this.maxRecordLength = maxRecordLength;
        this.spread = spread;
        this.seen = new BitSet[producers];
        this.lastSequence = new long[producers];
        for (int i = 0; i < producers; i++)
        {
            seen[i] = new BitSet((int)recordsPerProducer);
            lastSequence[i] = -1;
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[0]);
        final int capacity = Integer.parseInt(args[1]);
        final int producers = Integer.parseInt(args[2]);
        final long recordsPerProducer = Long.parseLong(args[3]);
        final long timeoutMs = Long.parseLong(args[4]);
        final int spread = Integer.parseInt(args[5]);

        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final long expected = producers * recordsPerProducer;
        final int exitCode;
        try (Segment segment = Segment.openOrCreate(path, new SegmentConfig().capacity(capacity));
            RingConsumer consumer = new RingConsumer(segment))
        {
            System.out.println("READY " + segment);
            final MultiProcessConsumerMain checker = new MultiProcessConsumerMain(
                producers, recordsPerProducer, segment.maxRecordLength(), spread);
            final IdleStrategy idle = new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
            long drainUntilNs = 0;
            boolean timedOut = false;
            while (true)
            {
                final int count = consumer.read(checker, 256);
                idle.idle(count);
                final long nowNs = System.nanoTime();
                if (drainUntilNs == 0 && checker.delivered >= expected)
                {
                    drainUntilNs = nowNs + DRAIN_NS;
                }
                if (drainUntilNs != 0 && nowNs - drainUntilNs >= 0)
                {
                    break;
                }
                if (nowNs - deadlineNs >= 0)
                {
                    timedOut = true;
                    break;
                }
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            final String summary = checker.summary(elapsedMs, consumer);
            System.out.println(summary);
            exitCode = timedOut ? 3 : checker.passed() ? 0 : 2;
        }
        System.out.flush();
        System.exit(exitCode);
    }

    public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        delivered++;
        payloadBytes += length;
        if (typeId == TestRecords.ABORTED_TYPE_ID)
        {
            abortedDelivered++;
            return;
        }
        if (typeId != TestRecords.DATA_TYPE_ID)
        {
            unknownType++;
            return;
        }
        if (length < TestRecords.MIN_PAYLOAD_LENGTH)
        {
            badLength++;
            return;
        }
        final int producerId = buffer.getInt(index + TestRecords.PRODUCER_ID_OFFSET);
        final long sequence = buffer.getLong(index + TestRecords.SEQUENCE_OFFSET);
        if (producerId < 0 || producerId >= producers || sequence < 0 || sequence >= recordsPerProducer)
        {
            badProducer++;
            return;
        }
        if (length != TestRecords.payloadLength(producerId, sequence, maxRecordLength, spread))
        {
            badLength++;
        }
        if (length == maxRecordLength)
        {
            maxLengthRecords++;
        }
        if (buffer.getInt(index + TestRecords.CHECKSUM_OFFSET) != TestRecords.checksum(buffer, index, length))
        {
            badChecksum++;
        }
        if (producerId != lastProducerId)
        {
            producerSwitches++;
            lastProducerId = producerId;
        }
        if (sequence != lastSequence[producerId] + 1)
        {
            outOfOrder++;
        }
        lastSequence[producerId] = sequence;
        final BitSet bits = seen[producerId];
        if (bits.get((int)sequence))
        {
            duplicates++;
        }
        bits.set((int)sequence);
    }

    private long distinct()
    {
        long distinct = 0;
        for (final BitSet bits : seen)
        {
            distinct += bits.cardinality();
        }
        return distinct;
    }

    private boolean passed()
    {
        return distinct() == producers * recordsPerProducer && delivered == distinct() && duplicates == 0 &&
            outOfOrder == 0 && badChecksum == 0 && badLength == 0 && badProducer == 0 && abortedDelivered == 0 &&
            unknownType == 0;
    }

    private String summary(final long elapsedMs, final RingConsumer consumer)
    {
        final long expected = producers * recordsPerProducer;
        final long distinct = distinct();
        return "SUMMARY producers=" + producers + " expected=" + expected + " delivered=" + delivered +
            " distinct=" + distinct + " lost=" + (expected - distinct) + " duplicates=" + duplicates +
            " outOfOrder=" + outOfOrder + " badChecksum=" + badChecksum + " badLength=" + badLength +
            " badProducer=" + badProducer + " abortedDelivered=" + abortedDelivered + " unknownType=" + unknownType +
            " maxLengthRecords=" + maxLengthRecords + " payloadBytes=" + payloadBytes +
            " producerSwitches=" + producerSwitches +
            " unblocked=" + consumer.unblockedRecords() + " lag=" + consumer.lag() + " elapsedMs=" + elapsedMs;
    }
}

package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.util.concurrent.TimeUnit;

/**
 * The benchmark's one per-producer sequence checker: every message must come from a known producer, carry that
 * producer's next sequence (nothing lost, repeated or reordered), have the expected type and length, and an intact
 * fill ({@link BenchMessage}). The first error is kept with its values; all are counted.
 * <p>
 * In latency runs it records, after the warm-up share, the one-way latency of each message twice: from the
 * schedule's intended send time (no coordinated omission: a stalled sender cannot hide its stall) and from the
 * stamp taken at send. No allocation per message.
 */
final class MessageChecker implements MessageHandler
{
    /** Largest latency the histograms track; larger values are recorded as this. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final long[] nextSequence;
    private final int length;
    private final long warmupPerProducer;
    private final long warmupTotal;
    private final boolean recordLatency;
    private final Histogram fromIntended = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram fromStamp = new Histogram(HIGHEST_TRACKABLE_NS, 3);

    private long received;
    private long errors;
    private long measuredStartNs;
    private String firstError;

    /**
     * @param producers         number of producers, ids 0..producers-1.
     * @param length            length of every message.
     * @param warmupPerProducer messages per producer left out of the measurement.
     * @param recordLatency     record one-way latency per message.
     */
    MessageChecker(final int producers, final int length, final long warmupPerProducer, final boolean recordLatency)
    {
        this.nextSequence = new long[producers];
        this.length = length;
        this.warmupPerProducer = warmupPerProducer;
        this.warmupTotal = warmupPerProducer * producers;
        this.recordLatency = recordLatency;
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        // A throughput run reads the clock once, at the end of the warm-up: a read per message (~20 ns on these
        // guests) bounded every transport near 31-34 M msg/s at 64 B and hid their differences.
        final long nowNs = recordLatency ? System.nanoTime() : 0;
        if (++received == warmupTotal)
        {
            measuredStartNs = recordLatency ? nowNs : System.nanoTime();
        }
        if (msgTypeId != BenchMessage.TYPE_ID || length != this.length)
        {
            error("bad header: expected type " + BenchMessage.TYPE_ID + " length " + this.length + ", found type=" +
                msgTypeId + " length=" + length + " received=" + received);
            return;
        }
        final long producerId = BenchMessage.producerId(buffer, index);
        if (producerId < 0 || producerId >= nextSequence.length)
        {
            error("bad producer id: expected 0.." + (nextSequence.length - 1) + ", found " + producerId +
                " received=" + received);
            return;
        }
        final int producer = (int)producerId;
        final long sequence = BenchMessage.sequence(buffer, index);
        if (sequence != nextSequence[producer] || !BenchMessage.isFillIntact(buffer, index, length))
        {
            error("bad sequence or payload: expected producer " + producer + " sequence " + nextSequence[producer] +
                " with intact fill, found sequence=" + sequence + " fillIntact=" +
                BenchMessage.isFillIntact(buffer, index, length) + " received=" + received);
        }
        nextSequence[producer] = sequence + 1;
        if (recordLatency && sequence >= warmupPerProducer)
        {
            record(fromIntended, nowNs - BenchMessage.intendedNs(buffer, index));
            record(fromStamp, nowNs - BenchMessage.sentNs(buffer, index));
        }
    }

    private static void record(final Histogram histogram, final long latencyNs)
    {
        histogram.recordValue(Math.max(0, Math.min(latencyNs, HIGHEST_TRACKABLE_NS)));
    }

    private void error(final String message)
    {
        if (errors++ == 0)
        {
            firstError = message;
        }
    }

    /**
     * @param messagesPerProducer what every producer was to send.
     * @return true if every producer's next sequence is exactly that (nothing missing, nothing extra).
     */
    boolean isComplete(final long messagesPerProducer)
    {
        for (final long next : nextSequence)
        {
            if (next != messagesPerProducer)
            {
                return false;
            }
        }
        return true;
    }

    long received()
    {
        return received;
    }

    long errors()
    {
        return errors;
    }

    String firstError()
    {
        return firstError;
    }

    long warmupTotal()
    {
        return warmupTotal;
    }

    /**
     * @return {@code System.nanoTime()} when the last warm-up message arrived, or 0 if none did.
     */
    long measuredStartNs()
    {
        return measuredStartNs;
    }

    /**
     * @return latency from the intended send time, ns.
     */
    Histogram fromIntended()
    {
        return fromIntended;
    }

    /**
     * @return latency from the send stamp, ns.
     */
    Histogram fromStamp()
    {
        return fromStamp;
    }
}

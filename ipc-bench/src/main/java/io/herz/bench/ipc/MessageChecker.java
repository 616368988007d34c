package io.herz.bench.ipc;

import io.herz.bench.ring.BenchPayload;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.util.concurrent.TimeUnit;

/**
 * The consumer's handler: checks every message (type, length, producer id in range, per-producer sequence exactly
 * one more than the last, payload fill intact), counts the ones that fail, and in latency runs records
 * {@code System.nanoTime() - timestampNs} for every message past the warm-up into an HdrHistogram.
 * <p>
 * Allocates nothing per message; the histogram is sized up front and values beyond its range are clamped.
 */
final class MessageChecker implements MessageHandler
{
    /** Largest latency the histogram tracks; larger values are recorded as this. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(30);

    private final long[] nextSequence;
    private final long warmupPerProducer;
    private final long warmupTotal;
    private final boolean recordLatency;
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);

    private long received;
    private long errors;
    private long measuredStartNs;
    private String firstError;

    /**
     * @param producers         number of producers, ids 0..producers-1.
     * @param warmupPerProducer messages per producer left out of the measurement.
     * @param recordLatency     record one-way latency per message.
     */
    MessageChecker(final int producers, final long warmupPerProducer, final boolean recordLatency)
    {
        this.nextSequence = new long[producers];
        this.warmupPerProducer = warmupPerProducer;
        this.warmupTotal = warmupPerProducer * producers;
        this.recordLatency = recordLatency;
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long sequence = BenchPayload.sequence(buffer, index);
        final long producerId = BenchPayload.producerId(buffer, index);
        if (recordLatency && sequence >= warmupPerProducer)
        {
            final long latencyNs = System.nanoTime() - BenchPayload.timestampNs(buffer, index);
            histogram.recordValue(Math.max(0, Math.min(latencyNs, HIGHEST_TRACKABLE_NS)));
        }
        if (++received == warmupTotal)
        {
            measuredStartNs = System.nanoTime();
        }

        if (msgTypeId != BenchPayload.TYPE_ID || length != BenchPayload.LENGTH || producerId < 0 ||
            producerId >= nextSequence.length)
        {
            error("bad header or producer id: expected type " + BenchPayload.TYPE_ID + ", length " +
                BenchPayload.LENGTH + ", producer 0.." + (nextSequence.length - 1) + ", found type=" + msgTypeId +
                " length=" + length + " producerId=" + producerId + " received=" + received);
            return;
        }
        final int producer = (int)producerId;
        if (sequence != nextSequence[producer] || !BenchPayload.isFillIntact(buffer, index))
        {
            error("bad sequence or payload: expected producer " + producer + " sequence " + nextSequence[producer] +
                " with intact fill, found sequence=" + sequence + " fillIntact=" +
                BenchPayload.isFillIntact(buffer, index) + " received=" + received);
        }
        nextSequence[producer] = sequence + 1;
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
     * @return {@code System.nanoTime()} when the last warm-up message arrived, or 0 if none was.
     */
    long measuredStartNs()
    {
        return measuredStartNs;
    }

    Histogram histogram()
    {
        return histogram;
    }
}

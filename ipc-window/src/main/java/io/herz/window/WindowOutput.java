package io.herz.window;

import org.agrona.DirectBuffer;

/**
 * Receives what a {@link WindowAggregator} emits. Called on the aggregator's thread; the key bytes are valid only
 * during the call (copy them to keep them). Implementations on the hot path must not allocate.
 */
public interface WindowOutput
{
    /**
     * A key's window result.
     *
     * @param startNs     inclusive window start, event time.
     * @param endNs       exclusive window end, event time.
     * @param keyId       the key's dense id in the aggregator's {@link KeyTable}.
     * @param keyBuffer   holds the key's ASCII bytes.
     * @param keyOffset   where the key starts in {@code keyBuffer}.
     * @param keyLength   the key's length in bytes.
     * @param count       the number of events in the window, at least 1.
     * @param sum         the sum of their values.
     * @param min         the smallest value.
     * @param max         the largest value.
     * @param mean        {@code sum / count}.
     * @param isUpdate    true when a result for this window (or, for sessions, for a window merged into it) was
     *                    emitted before and this one supersedes it.
     */
    void onWindow(
        long startNs,
        long endNs,
        int keyId,
        DirectBuffer keyBuffer,
        int keyOffset,
        int keyLength,
        long count,
        double sum,
        double min,
        double max,
        double mean,
        boolean isUpdate);

    /**
     * An event that arrived too late for at least one of its windows: the watermark had reached the window's end
     * plus the allowed lateness. It was dropped from those windows (and still added to any others).
     *
     * @param producerId         the producer that sent it.
     * @param eventTimeNs        its event time.
     * @param keyId              the key's dense id.
     * @param keyBuffer          holds the key's ASCII bytes.
     * @param keyOffset          where the key starts in {@code keyBuffer}.
     * @param keyLength          the key's length in bytes.
     * @param value              its value.
     * @param droppedWindowCount the number of windows it was dropped from, at least 1.
     */
    default void onLate(
        final int producerId,
        final long eventTimeNs,
        final int keyId,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final double value,
        final int droppedWindowCount)
    {
    }

    /**
     * Every producer has ended and every open window has been emitted; nothing follows.
     */
    void onEndOfStream();
}

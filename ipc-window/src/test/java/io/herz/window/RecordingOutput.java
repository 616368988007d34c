package io.herz.window;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * Records everything an aggregator emits, in order.
 */
final class RecordingOutput implements WindowOutput
{
    final List<WindowResult> results = new ArrayList<>();
    final List<LateEvent> lateEvents = new ArrayList<>();
    int endOfStreamCount;
    int resultsAtEndOfStream = -1;

    public void onWindow(
        final long startNs,
        final long endNs,
        final int keyId,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final long count,
        final double sum,
        final double min,
        final double max,
        final double mean,
        final boolean isUpdate)
    {
        results.add(new WindowResult(
            startNs, endNs, keyBuffer.getStringWithoutLengthAscii(keyOffset, keyLength), count, sum, min, max, mean,
            isUpdate));
    }

    public void onLate(
        final int producerId,
        final long eventTimeNs,
        final int keyId,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final double value,
        final int droppedWindowCount)
    {
        lateEvents.add(new LateEvent(
            producerId, eventTimeNs, keyBuffer.getStringWithoutLengthAscii(keyOffset, keyLength), value,
            droppedWindowCount));
    }

    public void onEndOfStream()
    {
        endOfStreamCount++;
        resultsAtEndOfStream = results.size();
    }

    List<WindowResult> drainResults()
    {
        final List<WindowResult> drained = new ArrayList<>(results);
        results.clear();
        return drained;
    }
}

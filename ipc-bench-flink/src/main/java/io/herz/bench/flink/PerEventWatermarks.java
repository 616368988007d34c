package io.herz.bench.flink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness with a watermark after every event that raises it, as Herz's aggregator moves a
 * producer's watermark on every event: with one source the window operator then sees each event with exactly the
 * watermark Herz assigns it with, so late events are dropped or counted as updates as Herz does. Flink's own
 * {@code forBoundedOutOfOrderness} emits only periodically (every 200 ms of processing time), which gives the same
 * windows when no event is late (the benchmark's data) at a lower cost.
 */
final class PerEventWatermarks implements WatermarkGenerator<Event>
{
    private final long outOfOrdernessMs;
    private long maxTimestampMs = Long.MIN_VALUE;

    /**
     * @param outOfOrdernessMs how far behind the highest event time events may arrive.
     */
    PerEventWatermarks(final long outOfOrdernessMs)
    {
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    @Override
    public void onEvent(final Event event, final long eventTimestamp, final WatermarkOutput output)
    {
        if (eventTimestamp > maxTimestampMs)
        {
            maxTimestampMs = eventTimestamp;
            output.emitWatermark(new Watermark(maxTimestampMs - outOfOrdernessMs - 1));
        }
    }

    @Override
    public void onPeriodicEmit(final WatermarkOutput output)
    {
    }
}

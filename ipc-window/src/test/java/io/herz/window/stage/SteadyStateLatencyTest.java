package io.herz.window.stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SteadyStateLatencyTest
{
    private long nowNs = 1_000_000_000_000L;

    @Test
    void shouldRecordOnlyAfterWarmupAndSplitQueueingFromProcessing()
    {
        final SteadyStateLatency latency = new SteadyStateLatency(() -> nowNs, 1_000_000_000L);

        // warm-up: a backlog of 1 s old events, not recorded
        for (int i = 0; i < 100; i++)
        {
            latency.beginPoll();
            nowNs += 1_000_000;
            latency.accept(nowNs - 1_000_000_000L);
        }
        nowNs += 1_000_000_000L;
        // steady state: published 30 us before the poll, handled 20 us into it
        for (int i = 0; i < 1000; i++)
        {
            final long publishNs = nowNs;
            nowNs += 30_000;
            latency.beginPoll();
            nowNs += 20_000;
            latency.accept(publishNs);
        }

        assertEquals(1100, latency.eventCount());
        assertEquals(100, latency.warmupEventCount());
        assertEquals(1000, latency.total().getTotalCount());
        assertEquals(50_000, latency.total().getValueAtPercentile(99), 50);
        final String summary = latency.summary();
        assertTrue(summary.startsWith("steady state after a 1.0 s warm-up (100 warm-up events not recorded): " +
            "1,000 events"), summary);
        assertTrue(summary.contains("queueing (publish to poll) p50 30.0 us"), summary);
        assertTrue(summary.contains("processing (poll to update) p50 20.0 us"), summary);
    }

    @Test
    void shouldSaySoWhenEveryEventFellInTheWarmup()
    {
        final SteadyStateLatency latency = new SteadyStateLatency(() -> nowNs, 5_000_000_000L);

        latency.beginPoll();
        latency.accept(nowNs);

        assertEquals("no steady state: 1 events, all within the 5.0 s warm-up", latency.summary());
    }
}

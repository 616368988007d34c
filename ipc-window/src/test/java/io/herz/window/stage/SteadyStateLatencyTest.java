package io.herz.window.stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void shouldTimeOneEventInTheIntervalAndCountEveryEvent()
    {
        final int[] clockReads = new int[1];
        final SteadyStateLatency latency = new SteadyStateLatency(() ->
        {
            clockReads[0]++;
            return nowNs;
        }, 1_000_000_000L, 4);
        final long firstNs = nowNs;

        // warm-up: 100 events in one poll, 1 ms apart
        latency.beginPoll();
        for (int i = 0; i < 100; i++)
        {
            latency.accept(nowNs - 1_000_000_000L);
            nowNs += 1_000_000;
        }
        nowNs += 1_000_000_000L;
        // steady state: 1000 events, one poll each, published 30 us before the poll and handled 20 us into it, but
        // every fourth (the timed ones) 40 us: only the timed ones may show
        for (int i = 0; i < 1000; i++)
        {
            final long publishNs = nowNs;
            nowNs += 30_000;
            latency.beginPoll();
            nowNs += (latency.eventCount() & 3) == 0 ? 40_000 : 20_000;
            latency.accept(publishNs);
        }
        final long lastEventNs = nowNs; // the last event (untimed: 1099 & 3 = 3) ends here
        nowNs += 5_000;
        latency.beginPoll(); // the next poll dates it

        assertEquals(1100, latency.eventCount());
        assertEquals(100, latency.warmupEventCount());
        assertEquals(250, latency.total().getTotalCount(), "one in 4 of the 1000 steady events");
        assertEquals(1 + 25 + 1000 + 250 + 1, clockReads[0], "a clock read per poll and per timed event only");
        assertEquals(70_000, latency.total().getMinValue(), 100);
        assertEquals(70_000, latency.total().getMaxValue(), 100);
        assertEquals((lastEventNs + 5_000 - firstNs) / 1e9, latency.activeSeconds(), 1e-9);
        final String summary = latency.summary();
        assertTrue(summary.startsWith("steady state after a 1.0 s warm-up (100 warm-up events not recorded): " +
            "1,000 events"), summary);
        assertTrue(summary.contains("1 event in 4 timed (250)"), summary);
    }

    @Test
    void shouldRefuseAnIntervalThatIsNotAPowerOfTwo()
    {
        for (final int interval : new int[]{ 0, 3, 12, -4 })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new SteadyStateLatency(() -> nowNs, 0, interval));
            assertEquals("latency sample interval: expected a power of two >= 1 (1 times every event), found " +
                interval, ex.getMessage());
        }
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

package io.herz.window;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link WindowAggregator#onWatermark}: a producer's progress without an event, as broadcast to every partition.
 */
@Timeout(10)
class WindowAggregatorWatermarkTest
{
    private static final int P1 = 1;
    private static final int P2 = 2;

    private final RecordingOutput output = new RecordingOutput();

    private WindowAggregator aggregator(final int producerCount, final long idleTimeoutNs)
    {
        return new WindowAggregator(new AggregatorConfig()
            .window(WindowSpec.parse("tumbling:10ns"))
            .outOfOrdernessNs(2)
            .idleTimeoutNs(idleTimeoutNs)
            .producerCount(producerCount), output);
    }

    @Test
    void shouldAdvanceProducerWatermarkWhenItsEventsGoElsewhere()
    {
        final WindowAggregator aggregator = aggregator(2, AggregatorConfig.NO_IDLE_TIMEOUT);
        aggregator.onEvent(P1, 5, aggregator.keys().intern("a"), 1.0, 0);
        aggregator.onEvent(P1, 30, aggregator.keys().intern("a"), 2.0, 0);
        assertEquals(List.of(), output.results, "P2 has not been seen: it holds the watermark at its start");

        final int emitted = aggregator.onWatermark(P2, 25, 0);

        assertEquals(1, emitted);
        assertEquals(23, aggregator.watermarkNs(), "min(30 - 2, 25 - 2)");
        assertEquals(List.of(new WindowResult(0, 10, "a", 1, 1.0, 1.0, 1.0, 1.0, false)), output.results);
        assertEquals(2, aggregator.producerCount());
        assertEquals(2, aggregator.eventCount(), "a watermark is not an event");
    }

    @Test
    void shouldNeverMoveProducerWatermarkBackWhenAnOlderWatermarkArrives()
    {
        final WindowAggregator aggregator = aggregator(1, AggregatorConfig.NO_IDLE_TIMEOUT);
        aggregator.onWatermark(P1, 40, 0);
        aggregator.onWatermark(P1, 12, 0);

        assertEquals(38, aggregator.watermarkNs());
    }

    @Test
    void shouldKeepProducerActiveWhenOnlyWatermarksArrive()
    {
        final WindowAggregator aggregator = aggregator(2, 100);
        aggregator.onWatermark(P2, 20, 0);
        aggregator.onWatermark(P2, 21, 60);
        aggregator.onEvent(P1, 50, aggregator.keys().intern("a"), 1.0, 90);

        aggregator.poll(150);

        assertEquals(19, aggregator.watermarkNs(), "P2 spoke at 60: not idle at 150, it still holds the watermark");

        aggregator.poll(161);

        assertEquals(48, aggregator.watermarkNs(), "P2 silent for more than 100: only P1 holds it");
    }

    @Test
    void shouldIgnoreWatermarkAfterEndOfStream()
    {
        final WindowAggregator aggregator = aggregator(1, AggregatorConfig.NO_IDLE_TIMEOUT);
        aggregator.onEvent(P1, 5, aggregator.keys().intern("a"), 1.0, 0);
        aggregator.onEndOfStream(P1, 0);

        assertEquals(0, aggregator.onWatermark(P1, 100, 0));
        assertEquals(Long.MAX_VALUE, aggregator.watermarkNs());
        assertEquals(1, output.results.size());
    }
}

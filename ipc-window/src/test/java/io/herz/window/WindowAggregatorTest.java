package io.herz.window;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class WindowAggregatorTest
{
    private static final int P1 = 1;
    private static final int P2 = 2;

    private final RecordingOutput output = new RecordingOutput();

    private WindowAggregator aggregator(final String window, final long outOfOrdernessNs, final long latenessNs)
    {
        return new WindowAggregator(
            new AggregatorConfig()
                .window(WindowSpec.parse(window))
                .outOfOrdernessNs(outOfOrdernessNs)
                .allowedLatenessNs(latenessNs),
            output);
    }

    private static void event(
        final WindowAggregator aggregator, final int producerId, final long eventTimeNs, final String key,
        final double value)
    {
        aggregator.onEvent(producerId, eventTimeNs, aggregator.keys().intern(key), value, 0);
    }

    private static WindowResult result(
        final long startNs, final long endNs, final String key, final double... values)
    {
        return resultOf(startNs, endNs, key, false, values);
    }

    private static WindowResult resultOf(
        final long startNs, final long endNs, final String key, final boolean isUpdate, final double... values)
    {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final double value : values)
        {
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new WindowResult(startNs, endNs, key, values.length, sum, min, max, sum / values.length, isUpdate);
    }

    @Test
    void shouldEmitCountSumMinMaxMeanWhenWatermarkReachesWindowEnd()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 0, 0);
        event(aggregator, P1, 2, "a", 4.5);
        event(aggregator, P1, 5, "a", -1.5);
        event(aggregator, P1, 9, "a", 3.0);

        assertEquals(List.of(), output.results);

        event(aggregator, P1, 10, "a", 100.0);

        assertEquals(List.of(new WindowResult(0, 10, "a", 3, 6.0, -1.5, 4.5, 2.0, false)), output.results);
    }

    @Test
    void shouldAlignTumblingWindowsToEpochWhenEventTimeIsNegative()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 0, 0);

        event(aggregator, P1, -3, "a", 1);
        event(aggregator, P1, 0, "a", 2);

        assertEquals(List.of(result(-10, 0, "a", 1)), output.results);
    }

    @Test
    void shouldAssignEventToEverySlidingWindowContainingItWhenSlideDividesSize()
    {
        final WindowAggregator aggregator = aggregator("sliding:10ns,3ns", 0, 0);
        event(aggregator, P1, 7, "a", 1);

        aggregator.onEndOfStream(P1, 0);

        assertEquals(List.of(result(0, 10, "a", 1), result(3, 13, "a", 1), result(6, 16, "a", 1)), output.results);
    }

    @Test
    void shouldAssignEventToNoWindowWhenSlideExceedsSizeAndEventFallsInGap()
    {
        final WindowAggregator aggregator = aggregator("sliding:2ns,5ns", 0, 0);
        event(aggregator, P1, 3, "a", 1);
        event(aggregator, P1, 6, "a", 2);

        aggregator.onEndOfStream(P1, 0);

        assertEquals(List.of(result(5, 7, "a", 2)), output.results);
        assertEquals(0, aggregator.lateEventCount());
    }

    @Test
    void shouldMergeSessionsWhenNextStartTouchesCurrentEnd()
    {
        final WindowAggregator aggregator = aggregator("session:5ns", 100, 0);
        event(aggregator, P1, 0, "a", 1);
        event(aggregator, P1, 5, "a", 2);
        event(aggregator, P1, 11, "a", 3);

        aggregator.onEndOfStream(P1, 0);

        assertEquals(List.of(result(0, 10, "a", 1, 2), result(11, 16, "a", 3)), output.results);
    }

    @Test
    void shouldBridgeTwoSessionsIntoOneWhenLateEventFallsBetweenThem()
    {
        final WindowAggregator aggregator = aggregator("session:5ns", 100, 0);
        event(aggregator, P1, 0, "a", 1);
        event(aggregator, P1, 9, "a", 2);
        event(aggregator, P1, 5, "a", 3);

        aggregator.onEndOfStream(P1, 0);

        assertEquals(List.of(result(0, 14, "a", 1, 2, 3)), output.results);
        assertEquals(0, aggregator.openWindowCount());
    }

    @Test
    void shouldKeepSessionsPerKeyWhenKeysInterleave()
    {
        final WindowAggregator aggregator = aggregator("session:5ns", 100, 0);
        event(aggregator, P1, 0, "a", 1);
        event(aggregator, P1, 3, "b", 2);
        event(aggregator, P1, 7, "a", 3);

        aggregator.onEndOfStream(P1, 0);

        assertEquals(List.of(result(0, 5, "a", 1), result(3, 8, "b", 2), result(7, 12, "a", 3)), output.results);
    }

    @Test
    void shouldHoldWatermarkAtSlowestProducerWhenSeveralPublish()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 2, 0);
        event(aggregator, P2, 11, "a", 2);
        event(aggregator, P1, 30, "a", 1);

        assertEquals(9, aggregator.watermarkNs());

        event(aggregator, P2, 12, "a", 3);

        assertEquals(10, aggregator.watermarkNs());
        assertEquals(List.of(), output.results);
        event(aggregator, P2, 2, "a", 4);
        assertEquals(1, aggregator.lateEventCount());
    }

    @Test
    void shouldStopHoldingWatermarkBackWhenProducerEnds()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 0, 0);
        event(aggregator, P2, 3, "b", 2);
        event(aggregator, P1, 25, "a", 1);

        aggregator.onEndOfStream(P2, 0);

        assertEquals(25, aggregator.watermarkNs());
        assertEquals(List.of(result(0, 10, "b", 2)), output.results);
        assertFalse(aggregator.isEnded());
    }

    @Test
    void shouldHoldWatermarkForUnseenProducersWhenProducerCountIsSet()
    {
        final WindowAggregator aggregator = new WindowAggregator(
            new AggregatorConfig().window(WindowSpec.parse("tumbling:10ns")).producerCount(2).idleTimeoutNs(100),
            output);
        aggregator.onEvent(P1, 25, aggregator.keys().intern("a"), 1, 0);

        assertEquals(Long.MIN_VALUE, aggregator.watermarkNs());
        aggregator.onEvent(P2, 3, aggregator.keys().intern("b"), 2, 50);
        assertEquals(3, aggregator.watermarkNs());
        assertEquals(0, aggregator.lateEventCount());

        aggregator.onEndOfStream(P2, 60);

        assertEquals(25, aggregator.watermarkNs());
        assertEquals(List.of(result(0, 10, "b", 2)), output.results);
    }

    @Test
    void shouldStopWaitingForUnseenProducerWhenIdleTimeoutPasses()
    {
        final WindowAggregator aggregator = new WindowAggregator(
            new AggregatorConfig().window(WindowSpec.parse("tumbling:10ns")).producerCount(2).idleTimeoutNs(100),
            output);
        aggregator.onEvent(P1, 5, aggregator.keys().intern("a"), 1, 0);
        aggregator.onEvent(P1, 25, aggregator.keys().intern("a"), 1, 100);
        assertEquals(Long.MIN_VALUE, aggregator.watermarkNs());

        aggregator.onEvent(P1, 26, aggregator.keys().intern("a"), 1, 101);

        assertEquals(26, aggregator.watermarkNs());
        assertEquals(List.of(result(0, 10, "a", 1)), output.results);
    }

    @Test
    void shouldStopHoldingWatermarkBackWhenProducerIdleUntilItSendsAgain()
    {
        final WindowAggregator aggregator = new WindowAggregator(
            new AggregatorConfig().window(WindowSpec.parse("tumbling:10ns")).idleTimeoutNs(1_000), output);
        aggregator.onEvent(P1, 5, aggregator.keys().intern("a"), 1, 0);
        aggregator.onEvent(P2, 25, aggregator.keys().intern("b"), 2, 500);

        assertEquals(5, aggregator.watermarkNs());
        assertEquals(0, aggregator.poll(1_000));

        assertEquals(1, aggregator.poll(1_001));
        assertEquals(25, aggregator.watermarkNs());
        assertEquals(List.of(result(0, 10, "a", 1)), output.results);

        aggregator.onEvent(P1, 21, aggregator.keys().intern("a"), 3, 1_002);
        aggregator.onEvent(P2, 40, aggregator.keys().intern("b"), 4, 1_003);

        assertEquals(25, aggregator.watermarkNs());
        aggregator.onEvent(P1, 30, aggregator.keys().intern("a"), 5, 1_004);
        assertEquals(30, aggregator.watermarkNs());
        assertEquals(List.of(result(0, 10, "a", 1), result(20, 30, "a", 3), result(20, 30, "b", 2)),
            output.results.stream().sorted(WindowResult.ORDER).toList());
    }

    @Test
    void shouldReEmitAsUpdateWhenEventArrivesWithinAllowedLateness()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 0, 5);
        event(aggregator, P1, 3, "a", 1);
        event(aggregator, P1, 12, "a", 2);

        event(aggregator, P1, 4, "a", 3);
        event(aggregator, P1, 6, "b", 4);

        assertEquals(List.of(result(0, 10, "a", 1), resultOf(0, 10, "a", true, 1, 3), result(0, 10, "b", 4)),
            output.results);
        assertEquals(0, aggregator.lateEventCount());
    }

    @Test
    void shouldDropCountAndHandOverEventWhenLaterThanAllowedLateness()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 0, 5);
        event(aggregator, P1, 3, "a", 1);
        event(aggregator, P1, 15, "a", 2);

        event(aggregator, P1, 4, "a", 3);

        assertEquals(List.of(result(0, 10, "a", 1)), output.results);
        assertEquals(1, aggregator.lateEventCount());
        assertEquals(1, aggregator.lateWindowDropCount());
        assertEquals(List.of(new LateEvent(P1, 4, "a", 3, 1)), output.lateEvents);
    }

    @Test
    void shouldDropFromLateWindowsOnlyWhenSlidingEventIsLateForSome()
    {
        final WindowAggregator aggregator = aggregator("sliding:10ns,5ns", 0, 0);
        event(aggregator, P1, 10, "a", 1);

        event(aggregator, P1, 7, "a", 2);

        assertEquals(List.of(new LateEvent(P1, 7, "a", 2, 1)), output.lateEvents);
        assertEquals(1, aggregator.lateWindowDropCount());
        aggregator.onEndOfStream(P1, 0);
        assertEquals(List.of(result(5, 15, "a", 1, 2), result(10, 20, "a", 1)), output.results);
    }

    @Test
    void shouldEmitLateSessionUpdateLaterWhenLateEventExtendsItPastWatermark()
    {
        final WindowAggregator aggregator = aggregator("session:5ns", 0, 10);
        event(aggregator, P1, 0, "a", 1);
        event(aggregator, P1, 7, "b", 2);
        assertEquals(List.of(result(0, 5, "a", 1)), output.results);

        event(aggregator, P1, 4, "a", 3);

        assertEquals(List.of(result(0, 5, "a", 1)), output.results);
        event(aggregator, P1, 9, "b", 4);
        assertEquals(List.of(result(0, 5, "a", 1), resultOf(0, 9, "a", true, 1, 3)), output.results);
    }

    @Test
    void shouldFlushOpenWindowsInOrderOfEndWhenEveryProducerEnded()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 1_000, 0);
        event(aggregator, P1, 35, "a", 1);
        event(aggregator, P2, 5, "b", 2);
        event(aggregator, P1, 17, "c", 3);

        aggregator.onEndOfStream(P1, 0);
        assertEquals(List.of(), output.results);
        aggregator.onEndOfStream(P2, 0);

        assertEquals(List.of(result(0, 10, "b", 2), result(10, 20, "c", 3), result(30, 40, "a", 1)), output.results);
        assertEquals(1, output.endOfStreamCount);
        assertEquals(3, output.resultsAtEndOfStream);
        assertTrue(aggregator.isEnded());
        assertEquals(0, aggregator.openWindowCount());
    }

    @Test
    void shouldWaitForConfiguredProducersWhenProducerCountIsSet()
    {
        final WindowAggregator aggregator = new WindowAggregator(
            new AggregatorConfig().window(WindowSpec.parse("tumbling:10ns")).producerCount(2), output);
        event(aggregator, P1, 5, "a", 1);

        aggregator.onEndOfStream(P1, 0);
        aggregator.onEndOfStream(P1, 0);

        assertFalse(aggregator.isEnded());
        assertEquals(0, output.endOfStreamCount);
        aggregator.onEndOfStream(P2, 0);
        assertTrue(aggregator.isEnded());
        assertEquals(List.of(result(0, 10, "a", 1)), output.results);
    }

    @Test
    void shouldIgnoreEventsWhenStageHasEnded()
    {
        final WindowAggregator aggregator = aggregator("tumbling:10ns", 0, 0);
        event(aggregator, P1, 5, "a", 1);
        aggregator.onEndOfStream(P1, 0);

        event(aggregator, P1, 50, "a", 1);
        aggregator.onEndOfStream(P1, 0);

        assertEquals(1, aggregator.ignoredAfterEndCount());
        assertEquals(1, output.endOfStreamCount);
        assertEquals(1, output.results.size());
    }

    @Test
    void shouldRejectWithMessageWhenConfigIsInvalid()
    {
        assertEquals("window is not set: expected a WindowSpec, found null",
            assertThrows(IllegalArgumentException.class, () -> new AggregatorConfig().conclude()).getMessage());
        assertEquals("allowedLatenessNs is negative: expected >= 0, found -1",
            assertThrows(IllegalArgumentException.class, () -> new AggregatorConfig()
                .window(WindowSpec.tumbling(1)).allowedLatenessNs(-1).conclude()).getMessage());
        assertEquals("idleTimeoutNs is not positive: expected > 0, found 0",
            assertThrows(IllegalArgumentException.class, () -> new AggregatorConfig()
                .window(WindowSpec.tumbling(1)).idleTimeoutNs(0).conclude()).getMessage());
        assertEquals("producerCount is negative: expected >= 0, found -2",
            assertThrows(IllegalArgumentException.class, () -> new AggregatorConfig()
                .window(WindowSpec.tumbling(1)).producerCount(-2).conclude()).getMessage());
    }
}

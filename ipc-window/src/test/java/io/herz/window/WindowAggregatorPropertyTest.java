package io.herz.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds random event streams through the real {@link WindowAggregator} and {@link ReferenceWindowing} side by side
 * and compares, after every call, the results emitted during that call (as a multiset, since equal ends come in no
 * particular order), the late events, the late counts, the watermark and the end of stream. Streams have several
 * producers, disorder within and beyond the bound, duplicate timestamps, many keys, idle stretches, polls and
 * ends of stream at random points. Values are small integers so sums are exact whatever the order of addition.
 */
@Timeout(120)
class WindowAggregatorPropertyTest
{
    private static final int CASES_PER_KIND = 200;
    private static final Map<WindowKind, long[]> COVERAGE = new EnumMap<>(WindowKind.class);
    private static final int RESULTS = 0;
    private static final int UPDATES = 1;
    private static final int LATE_EVENTS = 2;
    private static final int IDLE_ADVANCES = 3;

    @AfterAll
    static void shouldHaveCoveredEveryRuleWhenAllCasesRan()
    {
        for (final WindowKind kind : WindowKind.values())
        {
            final long[] coverage = COVERAGE.get(kind);
            if (null != coverage)
            {
                assertTrue(coverage[RESULTS] > 1000, kind + " results: " + coverage[RESULTS]);
                assertTrue(coverage[UPDATES] > 100, kind + " updates: " + coverage[UPDATES]);
                assertTrue(coverage[LATE_EVENTS] > 100, kind + " late events: " + coverage[LATE_EVENTS]);
                System.out.println(kind + " coverage: results=" + coverage[RESULTS] + " updates=" +
                    coverage[UPDATES] + " lateEvents=" + coverage[LATE_EVENTS] + " idleAhead=" +
                    coverage[IDLE_ADVANCES]);
                assertTrue(coverage[IDLE_ADVANCES] > 100, kind + " idle advances: " + coverage[IDLE_ADVANCES]);
            }
        }
    }

    static List<Long> tumblingSeeds()
    {
        return seeds(1_000);
    }

    static List<Long> slidingSeeds()
    {
        return seeds(2_000);
    }

    static List<Long> sessionSeeds()
    {
        return seeds(3_000);
    }

    @ParameterizedTest
    @MethodSource("tumblingSeeds")
    void shouldMatchReferenceWhenWindowsAreTumbling(final long seed)
    {
        final Random random = new Random(seed);
        final WindowSpec spec = WindowSpec.tumbling(5 + random.nextInt(60));

        runCase(seed, random, spec);
    }

    @ParameterizedTest
    @MethodSource("slidingSeeds")
    void shouldMatchReferenceWhenWindowsAreSliding(final long seed)
    {
        final Random random = new Random(seed);
        final long sizeNs = 5 + random.nextInt(60);
        final long minSlideNs = Math.max(1, sizeNs / 12);
        final long slideNs = minSlideNs + random.nextInt((int)(sizeNs + 10 - minSlideNs));
        final WindowSpec spec = WindowSpec.sliding(sizeNs, slideNs);

        runCase(seed, random, spec);
    }

    @ParameterizedTest
    @MethodSource("sessionSeeds")
    void shouldMatchReferenceWhenWindowsAreSessions(final long seed)
    {
        final Random random = new Random(seed);
        final WindowSpec spec = WindowSpec.session(1 + random.nextInt(30));

        runCase(seed, random, spec);
    }

    private static void runCase(final long seed, final Random random, final WindowSpec spec)
    {
        final long outOfOrdernessNs = random.nextInt(3) == 0 ? 0 : random.nextInt(30);
        final long allowedLatenessNs = random.nextInt(3) == 0 ? 0 : random.nextInt(40);
        final long idleTimeoutNs = random.nextBoolean() ? AggregatorConfig.NO_IDLE_TIMEOUT : 30 + random.nextInt(300);
        final int producers = 1 + random.nextInt(4);
        final int configuredProducers = random.nextBoolean() ? 0 : producers;
        final int keyCount = random.nextInt(4) == 0 ? 200 + random.nextInt(800) : 1 + random.nextInt(12);
        final int steps = 50 + random.nextInt(600);
        final String context = "seed=" + seed + " spec=" + spec + " ooo=" + outOfOrdernessNs + " lateness=" +
            allowedLatenessNs + " idle=" + idleTimeoutNs + " producers=" + producers + "/" + configuredProducers +
            " keys=" + keyCount;

        final RecordingOutput output = new RecordingOutput();
        final WindowAggregator engine = new WindowAggregator(
            new AggregatorConfig()
                .window(spec)
                .outOfOrdernessNs(outOfOrdernessNs)
                .allowedLatenessNs(allowedLatenessNs)
                .idleTimeoutNs(idleTimeoutNs)
                .producerCount(configuredProducers),
            output);
        final ReferenceWindowing reference = new ReferenceWindowing(
            spec, outOfOrdernessNs, allowedLatenessNs, idleTimeoutNs, configuredProducers);

        final long[] clocksNs = new long[producers];
        final long[] lastEventTimesNs = new long[producers];
        final int[] silentFrom = new int[producers];
        final int[] silentUntil = new int[producers];
        final int[] endAt = new int[producers];
        final long[] clocksSeenNs = new long[producers];
        final boolean[] ended = new boolean[producers];
        java.util.Arrays.fill(clocksSeenNs, Long.MIN_VALUE);
        final long baseNs = random.nextInt(2001) - 1000;
        for (int p = 0; p < producers; p++)
        {
            clocksNs[p] = baseNs + random.nextInt(20);
            lastEventTimesNs[p] = clocksNs[p];
            silentFrom[p] = random.nextInt(steps);
            silentUntil[p] = random.nextBoolean() ? silentFrom[p] + random.nextInt(steps / 2 + 1) : silentFrom[p];
            endAt[p] = random.nextInt(4) == 0 ? random.nextInt(steps) : steps + random.nextInt(producers * 3);
        }

        long nowNs = 0;
        final int lastStep = steps + producers * 3 + 1;
        for (int step = 0; step <= lastStep && !reference.ended; step++)
        {
            nowNs += 1 + random.nextInt(20);
            final List<WindowResult> expected;
            final List<WindowResult> actual;
            final String action;
            final int producer = random.nextInt(producers);
            final int producerId = 100 + producer;

            if (step == lastStep)
            {
                action = "final ends of stream";
                expected = new ArrayList<>();
                for (int p = 0; p < producers; p++)
                {
                    engine.onEndOfStream(100 + p, nowNs);
                    expected.addAll(reference.onEndOfStream(100 + p, nowNs));
                }
                actual = output.drainResults();
            }
            else if (random.nextInt(20) == 0)
            {
                action = "poll";
                engine.poll(nowNs);
                expected = reference.poll(nowNs);
                actual = output.drainResults();
                assertInOrderOfEnd(actual, context, step);
            }
            else if (step >= endAt[producer])
            {
                action = "end of stream from " + producerId;
                ended[producer] = true;
                engine.onEndOfStream(producerId, nowNs);
                expected = reference.onEndOfStream(producerId, nowNs);
                actual = output.drainResults();
                assertInOrderOfEnd(actual, context, step);
            }
            else if (step >= silentFrom[producer] && step < silentUntil[producer])
            {
                action = "silence of " + producerId;
                engine.poll(nowNs);
                expected = reference.poll(nowNs);
                actual = output.drainResults();
            }
            else
            {
                clocksNs[producer] += random.nextInt(6);
                final long eventTimeNs;
                final int disorder = random.nextInt(10);
                if (disorder == 0)
                {
                    eventTimeNs = lastEventTimesNs[producer];
                }
                else if (disorder < 3)
                {
                    eventTimeNs = clocksNs[producer] - random.nextInt((int)outOfOrdernessNs + 1);
                }
                else if (disorder < 4)
                {
                    eventTimeNs = clocksNs[producer] - random.nextInt((int)(3 * outOfOrdernessNs + 60));
                }
                else
                {
                    eventTimeNs = clocksNs[producer];
                }
                lastEventTimesNs[producer] = eventTimeNs;
                clocksSeenNs[producer] = Math.max(clocksSeenNs[producer], eventTimeNs);
                final String key = "key-" + random.nextInt(keyCount);
                final double value = random.nextInt(201) - 100;
                action = "event producer=" + producerId + " t=" + eventTimeNs + " key=" + key + " value=" + value;

                engine.onEvent(producerId, eventTimeNs, engine.keys().intern(key), value, nowNs);
                expected = reference.onEvent(producerId, eventTimeNs, key, value, nowNs);
                actual = output.drainResults();
            }

            final long[] coverage = COVERAGE.computeIfAbsent(spec.kind(), (k) -> new long[4]);
            coverage[RESULTS] += expected.size();
            coverage[UPDATES] += expected.stream().filter(WindowResult::isUpdate).count();
            if (!reference.ended && engine.watermarkNs() > slowestWatermarkNs(clocksSeenNs, ended, outOfOrdernessNs))
            {
                coverage[IDLE_ADVANCES]++;
            }

            final String where = context + " step=" + step + " now=" + nowNs + " action=" + action;
            expected.sort(WindowResult.ORDER);
            final List<WindowResult> actualSorted = new ArrayList<>(actual);
            actualSorted.sort(WindowResult.ORDER);
            assertEquals(expected, actualSorted, where);
            assertEquals(reference.watermarkNs, engine.watermarkNs(), where);
            assertEquals(reference.lateEventCount, engine.lateEventCount(), where);
            assertEquals(reference.lateWindowDropCount, engine.lateWindowDropCount(), where);
            assertEquals(reference.lateEvents, output.lateEvents, where);
            assertEquals(reference.ended, engine.isEnded(), where);
            assertEquals(reference.ended ? 1 : 0, output.endOfStreamCount, where);
        }

        COVERAGE.get(spec.kind())[LATE_EVENTS] += reference.lateEventCount;
        assertTrue(reference.ended, context);
        assertEquals(0, engine.openWindowCount(), context);
    }

    private static long slowestWatermarkNs(
        final long[] clocksSeenNs, final boolean[] ended, final long outOfOrdernessNs)
    {
        long minNs = Long.MAX_VALUE;
        for (int p = 0; p < clocksSeenNs.length; p++)
        {
            if (!ended[p] && Long.MIN_VALUE != clocksSeenNs[p])
            {
                minNs = Math.min(minNs, clocksSeenNs[p] - outOfOrdernessNs);
            }
        }
        return minNs;
    }

    private static void assertInOrderOfEnd(final List<WindowResult> results, final String context, final int step)
    {
        for (int i = 1; i < results.size(); i++)
        {
            assertTrue(results.get(i - 1).endNs() <= results.get(i).endNs(),
                context + " step=" + step + " results out of order of end: " + results);
        }
    }

    private static List<Long> seeds(final long first)
    {
        final List<Long> seeds = new ArrayList<>();
        for (long seed = first; seed < first + CASES_PER_KIND; seed++)
        {
            seeds.add(seed);
        }
        return seeds;
    }
}

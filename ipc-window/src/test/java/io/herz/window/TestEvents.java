package io.herz.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic event streams shared by a test and the producer processes it starts: one event per spacing, each
 * jittered back by less than the jitter, keys {@code key-0 .. key-(keyCount-1)}, values multiples of 1/4 between
 * -50 and 50 so every sum is exact in whatever order the stage adds them.
 */
final class TestEvents
{
    record TestEvent(int producerId, long eventTimeNs, String key, double value)
    {
    }

    private TestEvents()
    {
    }

    static List<TestEvent> generate(
        final int producerId,
        final long seed,
        final int count,
        final long startNs,
        final long spacingNs,
        final long jitterNs,
        final int keyCount)
    {
        final Random random = new Random(seed * 31 + producerId);
        final List<TestEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final long eventTimeNs = startNs + i * spacingNs - (long)(random.nextDouble() * jitterNs);
            final String key = "key-" + random.nextInt(keyCount);
            final double value = random.nextInt(401) / 4.0 - 50;
            events.add(new TestEvent(producerId, eventTimeNs, key, value));
        }
        return events;
    }
}

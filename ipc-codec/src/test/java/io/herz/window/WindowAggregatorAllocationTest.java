package io.herz.window;

import java.lang.management.ManagementFactory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady state allocates nothing: after a warm-up pass over the same keys and the same shape of stream (so
 * every pool, map and heap has reached its high-water mark), a second pass through the byte-key path must not
 * allocate a single byte on this thread, measured with {@code com.sun.management.ThreadMXBean}.
 */
@Timeout(60)
class WindowAggregatorAllocationTest
{
    private static final int KEY_COUNT = 1_000;
    private static final int EVENTS_PER_PASS = 200_000;
    private static final int WARM_UP_PASSES = 4;

    @ParameterizedTest
    @ValueSource(strings = { "tumbling:1ms", "sliding:1ms,100us", "session:50us" })
    void shouldNotAllocateWhenStreamIsInSteadyState(final String window)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        final CountingOutput output = new CountingOutput();
        final WindowAggregator aggregator = new WindowAggregator(
            new AggregatorConfig()
                .window(WindowSpec.parse(window))
                .outOfOrdernessNs(200_000)
                .allowedLatenessNs(100_000)
                .idleTimeoutNs(1_000_000_000L),
            output);
        final UnsafeBuffer keys = new UnsafeBuffer(new byte[KEY_COUNT * 16]);
        for (int i = 0; i < KEY_COUNT; i++)
        {
            keys.putStringWithoutLengthAscii(i * 16, String.format("key-%011d", i));
        }

        for (int pass = 0; pass < WARM_UP_PASSES; pass++)
        {
            runPass(aggregator, keys, pass);
        }
        final long resultsBefore = output.results;
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        runPass(aggregator, keys, WARM_UP_PASSES);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(0, allocated, window + " allocated bytes in steady state");
        assertTrue(output.results > resultsBefore);
        assertTrue(aggregator.lateEventCount() > 0);
    }

    private static void runPass(final WindowAggregator aggregator, final DirectBuffer keys, final int pass)
    {
        long seed = 12345;
        final long baseNs = pass * (long)EVENTS_PER_PASS * 1_000;
        for (int i = 0; i < EVENTS_PER_PASS; i++)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            final int key = (int)((seed >>> 33) % KEY_COUNT);
            final long jitterNs = (seed >>> 40) % 500_000;
            final long eventTimeNs = baseNs + i * 1_000L - jitterNs;
            final int producerId = (int)(seed >>> 62);
            aggregator.onEvent(producerId, eventTimeNs, keys, key * 16, 15, key, baseNs + i);
        }
    }

    private static final class CountingOutput implements WindowOutput
    {
        long results;

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
            results++;
        }

        public void onEndOfStream()
        {
        }
    }
}

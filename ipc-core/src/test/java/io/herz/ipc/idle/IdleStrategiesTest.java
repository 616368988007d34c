package io.herz.ipc.idle;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The one idle-strategy lookup of the project: every name maps to one Agrona implementation, the same for the
 * command line and the benchmark harness.
 */
class IdleStrategiesTest
{
    @Test
    void shouldMapEveryNameToAgronasStrategy()
    {
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.of("busy-spin"));
        assertInstanceOf(YieldingIdleStrategy.class, IdleStrategies.of("yielding"));
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.of("backoff"));
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.of("backoff-fast"));
        assertInstanceOf(SleepingMillisIdleStrategy.class, IdleStrategies.of("sleeping"));
        assertInstanceOf(SleepingIdleStrategy.class, IdleStrategies.of("sleeping-1us"));
        assertInstanceOf(NoOpIdleStrategy.class, IdleStrategies.of("noop"));
        assertNotSame(IdleStrategies.of("backoff"), IdleStrategies.of("backoff"), "stateful: one per thread");
        for (final String name : IdleStrategies.NAMES.split(", "))
        {
            IdleStrategies.of(name);
        }
    }

    @Test
    void shouldNameTheAcceptedValuesWhenTheNameIsUnknown()
    {
        assertEquals("idle strategy not known: expected one of busy-spin, yielding, backoff, backoff-fast, " +
            "sleeping, sleeping-1us, noop, found 'spin'",
            assertThrows(IllegalArgumentException.class, () -> IdleStrategies.of("spin")).getMessage());
    }
}

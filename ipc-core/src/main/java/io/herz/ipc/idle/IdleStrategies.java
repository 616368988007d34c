package io.herz.ipc.idle;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Picks one of Agrona's idle strategies by name, for command-line flags such as {@code --idle yielding}. No new
 * strategies here: each name maps to an Agrona implementation.
 * <pre>
 * busy-spin   BusySpinIdleStrategy: lowest latency, burns a core
 * yielding    YieldingIdleStrategy: Thread.yield() when idle, gives the core to whoever else is runnable
 * backoff     BackoffIdleStrategy(10 spins, 20 yields, park 1 us .. 1 ms): Agrona's default trade-off
 * backoff-fast BackoffIdleStrategy(10 spins, 20 yields, park 1 us .. 50 us): lower wake-up latency
 * sleeping    SleepingMillisIdleStrategy(1 ms): for cores that must be left to others
 * sleeping-1us SleepingIdleStrategy(1 us park): parks on every idle call, no spinning
 * noop        NoOpIdleStrategy
 * </pre>
 */
public final class IdleStrategies
{
    /** The names {@link #of(String)} accepts. */
    public static final String NAMES = "busy-spin, yielding, backoff, backoff-fast, sleeping, sleeping-1us, noop";

    private IdleStrategies()
    {
    }

    /**
     * @param name one of {@link #NAMES}.
     * @return a new idle strategy instance (strategies have state: one per thread).
     * @throws IllegalArgumentException naming the value and the accepted names.
     */
    public static IdleStrategy of(final String name)
    {
        switch (name)
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "yielding":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy();
            case "backoff-fast":
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MICROSECONDS.toNanos(50));
            case "sleeping":
                return new SleepingMillisIdleStrategy(1);
            case "sleeping-1us":
                return new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(1));
            case "noop":
                return NoOpIdleStrategy.INSTANCE;
            default:
                throw new IllegalArgumentException("idle strategy not known: expected one of " + NAMES + ", found '" +
                    name + "'");
        }
    }
}

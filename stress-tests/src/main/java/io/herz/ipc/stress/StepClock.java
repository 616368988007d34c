package io.herz.ipc.stress;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * A clock that is one millisecond later at every call. Given to a {@code RingConsumer}, every {@code read()} that
 * finds the ring stalled is one unblocker check interval (1 ms) after the previous one, so what the unblocker
 * decides depends only on how many reads the consumer made, never on the wall clock or the scheduler. Used by one
 * thread at a time (the consumer's actor, then the arbiter, ordered by jcstress).
 */
final class StepClock implements NanoClock
{
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private long nowNs;

    public long nanoTime()
    {
        nowNs += STEP_NS;
        return nowNs;
    }
}

package io.herz.window;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Graceful stop of {@link AggregatorMain} and {@link SinkMain} on SIGINT/SIGTERM: the JVM's shutdown hook sets
 * {@link #isRequested()} and waits (bounded) until the duty cycle has left its loop, closed its rings and flushed,
 * and called {@link #done()}.
 */
final class StageShutdown
{
    private static final long MAX_WAIT_MS = 10_000;

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean requested;

    StageShutdown()
    {
        Runtime.getRuntime().addShutdownHook(new Thread(this::awaitDone, "herz-stage-shutdown"));
    }

    boolean isRequested()
    {
        return requested;
    }

    void done()
    {
        finished.countDown();
    }

    private void awaitDone()
    {
        requested = true;
        try
        {
            finished.await(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ignore)
        {
            Thread.currentThread().interrupt();
        }
    }
}

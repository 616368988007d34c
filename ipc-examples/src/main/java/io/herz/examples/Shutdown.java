package io.herz.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Graceful stop on SIGINT/SIGTERM: the signal sets {@link #isRequested()}; the duty cycle finishes its current
 * message, drains or sends end of stream, and calls {@link #done()}. The JVM's shutdown waits (bounded) for that,
 * so nothing committed is lost to a Ctrl-C.
 */
final class Shutdown
{
    private static final long MAX_WAIT_MS = 10_000;

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean requested;

    Shutdown()
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
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
        }, "herz-shutdown"));
    }

    boolean isRequested()
    {
        return requested;
    }

    void done()
    {
        finished.countDown();
    }
}

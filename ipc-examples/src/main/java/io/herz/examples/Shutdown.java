package io.herz.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Graceful stop on SIGINT/SIGTERM, one per JVM, installed first thing in {@link HerzCli#main}: the signal sets
 * {@link #isRequested()}; the command's duty cycle finishes its current message, drains or sends end of stream,
 * and returns; {@link HerzCli} then calls {@link #done()}. The JVM's shutdown waits (bounded) for that, so nothing
 * committed is lost to a Ctrl-C, also when the signal arrives while the command is still starting.
 */
final class Shutdown
{
    private static final long MAX_WAIT_MS = 10_000;
    private static final Shutdown INSTANCE = new Shutdown();

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean requested;
    private boolean installed;

    private Shutdown()
    {
    }

    /**
     * @return the JVM's shutdown coordinator, installing its hook on first use.
     */
    static synchronized Shutdown instance()
    {
        if (!INSTANCE.installed)
        {
            INSTANCE.installed = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                INSTANCE.requested = true;
                try
                {
                    INSTANCE.finished.await(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
            }, "herz-shutdown"));
        }
        return INSTANCE;
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

package io.herz.ipc.test;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waiting for tests: every wait names what it waited for.
 */
public final class Await
{
    private Await()
    {
    }

    /**
     * Poll {@code condition} until it holds.
     *
     * @param condition what must become true.
     * @param timeoutMs how long to wait.
     * @param message   what was awaited, for the failure.
     * @throws AssertionError if it does not hold in time.
     */
    public static void await(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> message)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + message.get());
            }
            Thread.onSpinWait();
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + message.get(), ex);
            }
        }
    }

    /**
     * Poll {@code condition} until it holds.
     *
     * @param condition what must become true.
     * @param timeoutMs how long to wait.
     * @param message   what was awaited.
     */
    public static void await(final BooleanSupplier condition, final long timeoutMs, final String message)
    {
        await(condition, timeoutMs, () -> message);
    }
}

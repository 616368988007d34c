package io.herz.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ready files, so that a pipeline's sources start only once its consumers are up: a consumer stage
 * ({@code --ready-file}) creates its file when its inputs and outputs are open and its loop is about to run, and
 * deletes it when it exits; a producer ({@code --start-after}) waits, bounded, until every file it names exists.
 * {@code herz demo} uses this so that no start-up backlog is counted as latency.
 */
final class StartGate implements AutoCloseable
{
    private final Path file;

    private StartGate(final Path file)
    {
        this.file = file;
    }

    /**
     * Create the ready file (atomically: written aside, then moved in place).
     *
     * @param file the ready file; null for none.
     * @return closing it deletes the file.
     * @throws UncheckedIOException naming the file if it cannot be written.
     */
    static StartGate signal(final Path file)
    {
        if (file != null)
        {
            final Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            try
            {
                Files.writeString(temp, Long.toString(ProcessHandle.current().pid()));
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(file.toAbsolutePath() + ": cannot write ready file", ex);
            }
        }
        return new StartGate(file);
    }

    /**
     * Wait until every file exists.
     *
     * @param files     ready files; empty for none.
     * @param timeoutNs how long to wait in all.
     * @param stop      ends the wait early when it returns true (a shutdown request).
     * @return nanoseconds waited.
     * @throws IllegalStateException naming the missing file when the time is up.
     */
    static long await(final List<Path> files, final long timeoutNs, final BooleanSupplier stop)
    {
        final long startNs = System.nanoTime();
        for (final Path file : files)
        {
            while (!Files.exists(file) && !stop.getAsBoolean())
            {
                if (System.nanoTime() - startNs > timeoutNs)
                {
                    throw new IllegalStateException("ready file did not appear: expected " + file.toAbsolutePath() +
                        " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
                }
                try
                {
                    Thread.sleep(5);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return System.nanoTime() - startNs;
                }
            }
        }
        return System.nanoTime() - startNs;
    }

    /**
     * Delete the ready file, if any.
     */
    public void close()
    {
        if (file != null)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                System.err.println(file.toAbsolutePath() + ": cannot delete ready file: " + ex.getMessage());
            }
        }
    }
}

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
 * Both print a start-up line to standard error (time since the JVM started, and whether it shares classes from an
 * archive), so that a pipeline's output counts each JVM's start-up.
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
            System.err.println(startupLine("ready", sinceJvmStartMs(), -1, sharing()));
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
     * Print the start-up line of a stage that waited for ready files ({@code produce --start-after}), to standard
     * error, when it starts its work.
     *
     * @param files    the ready files it waited for; nothing is printed when empty.
     * @param waitedNs what {@link #await} returned.
     */
    static void printStarted(final List<Path> files, final long waitedNs)
    {
        if (!files.isEmpty())
        {
            System.err.println(startupLine("publishing", sinceJvmStartMs(), TimeUnit.NANOSECONDS.toMillis(waitedNs),
                sharing()));
        }
    }

    /**
     * A stage's start-up line: {@code start-up: ready 412 ms after JVM start (class-data sharing: archive)}, or
     * {@code start-up: publishing 1,230 ms after JVM start, 820 ms of it waiting for ready files (...)}.
     *
     * @param what     "ready" or "publishing".
     * @param jvmMs    milliseconds since the JVM started, or a negative number where unknown.
     * @param waitedMs of which waiting for ready files; negative for none.
     * @param sharing  {@link #sharing()}.
     * @return the line.
     */
    static String startupLine(final String what, final long jvmMs, final long waitedMs, final String sharing)
    {
        return "start-up: " + what + " " + (jvmMs < 0 ? "n/a" : String.format("%,d ms", jvmMs)) +
            " after JVM start" + (waitedMs < 0 ? "" : String.format(", %,d ms of it waiting for ready files", waitedMs)) +
            " (class-data sharing: " + sharing + ")";
    }

    /**
     * @return "AOT cache" when this JVM maps an AOT cache it was given (herz-KIND.aot, JDK 25+), "archive" when it
     * maps a class-data sharing archive it was given (herz.jsa), "JDK default"
     * when it maps only the JDK's, "off" when it shares no classes (e.g. an archive it could not use).
     */
    static String sharing()
    {
        if (!System.getProperty("java.vm.info", "").contains("sharing"))
        {
            return "off";
        }
        try
        {
            final String cmdline = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")),
                java.nio.charset.StandardCharsets.UTF_8);
            if (cmdline.contains("-XX:AOTCache="))
            {
                return "AOT cache";
            }
            return cmdline.contains("-XX:SharedArchiveFile=") ? "archive" : "JDK default";
        }
        catch (final IOException ex)
        {
            return "on";
        }
    }

    private static long sinceJvmStartMs()
    {
        return ProcessHandle.current().info().startInstant()
            .map(start -> java.time.Duration.between(start, java.time.Instant.now()).toMillis())
            .orElse(-1L);
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

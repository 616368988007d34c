package io.herz.bench.ipc;

import io.herz.ipc.process.JvmLauncher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One child JVM of the benchmark, seen from the runner: the same {@code java} binary and class path as the runner,
 * Agrona's flags, output in a log file; {@link #awaitReady}, {@link #go}, {@link #awaitResult} follow
 * {@link ChildProtocol}. {@link #destroyForcibly()} is idempotent and the runner calls it for every child.
 */
final class ChildProcess
{
    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param name      label, also the log file's name.
     * @param logDir    directory of the log file.
     * @param jvmFlags  flags after the benchmark's own (bounds checks off, serial GC, a small fixed heap).
     * @param mainClass class with the child's main method.
     * @param args      its arguments.
     * @return the started child.
     * @throws IOException if it cannot be started.
     */
    static ChildProcess start(
        final String name, final Path logDir, final List<String> jvmFlags, final Class<?> mainClass,
        final List<String> args) throws IOException
    {
        Files.createDirectories(logDir);
        final List<String> flags = new ArrayList<>(
            List.of(JvmLauncher.NO_BOUNDS_CHECKS, "-XX:+UseSerialGC", "-Xms64m", "-Xmx256m"));
        flags.addAll(jvmFlags);
        final List<String> command = JvmLauncher.command(flags, mainClass.getName(), args);
        final Path log = logDir.resolve(name + ".log");
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new ChildProcess(name, process, log);
    }

    /**
     * Wait until the child has printed {@code READY}.
     *
     * @param deadlineNs {@code System.nanoTime()} to give up at.
     * @throws IOException if the child exits first or the deadline passes, with the tail of its log.
     */
    void awaitReady(final long deadlineNs) throws IOException
    {
        while (!logText().contains(ChildProtocol.READY + System.lineSeparator()))
        {
            if (!process.isAlive())
            {
                throw new IOException(name + " exited with " + process.exitValue() + " before " +
                    ChildProtocol.READY + "; log " + log + ":\n" + logTail());
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IOException(name + " not " + ChildProtocol.READY + " in time; log " + log + ":\n" +
                    logTail());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Tell the child to start.
     *
     * @throws IOException if its standard input is closed.
     */
    void go() throws IOException
    {
        final OutputStream in = process.getOutputStream();
        in.write((ChildProtocol.GO + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /**
     * Close the child's standard input: a producer that has reported waits for this before it closes its publication,
     * so nothing it sent is torn down while a consumer still reads it.
     */
    void closeInput()
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // the child is gone already: awaitResult reports it
        }
    }

    /**
     * Wait for the child to exit and return its result line.
     *
     * @param timeoutMs how long to wait.
     * @return the parsed {@code RESULT} line.
     * @throws IOException on timeout (the child is killed), a non-zero exit or a missing result, with its log.
     */
    BenchArgs awaitResult(final long timeoutMs) throws IOException, InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            destroyForcibly();
            throw new IOException(name + " did not exit within " + timeoutMs + " ms; log " + log + ":\n" + logTail());
        }
        final int exitCode = process.exitValue();
        for (final String line : logText().split("\\R"))
        {
            if (line.startsWith(ChildProtocol.RESULT + " "))
            {
                if (exitCode != 0)
                {
                    throw new IOException(name + " exited with " + exitCode + ": " + line + "; log " + log + ":\n" +
                        logTail());
                }
                return BenchArgs.parseResult(line);
            }
        }
        throw new IOException(name + " exited with " + exitCode + " without a " + ChildProtocol.RESULT + " line; log " +
            log + ":\n" + logTail());
    }

    /**
     * Wait for the child to exit, whatever it printed; kill it if it has not within the timeout.
     *
     * @param timeoutMs how long to wait.
     * @throws InterruptedException if interrupted while waiting.
     */
    void awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            destroyForcibly();
        }
    }

    /**
     * Kill the child (SIGKILL) if it still runs and wait briefly for it. Idempotent.
     */
    void destroyForcibly()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String logText() throws IOException
    {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private String logTail()
    {
        try
        {
            final String text = logText();
            return text.length() <= 4096 ? text : text.substring(text.length() - 4096);
        }
        catch (final IOException ex)
        {
            return "(log unreadable: " + ex + ")";
        }
    }

    public String toString()
    {
        return name + "(pid=" + process.pid() + ", log=" + log + ")";
    }
}

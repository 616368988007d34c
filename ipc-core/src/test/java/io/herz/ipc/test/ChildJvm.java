package io.herz.ipc.test;

import io.herz.ipc.process.JvmLauncher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real child JVM: the same {@code java} binary and class path as this one, the flags Agrona needs, and
 * its output in a log file under {@code target/child-logs/}. Tests {@link #destroyForcibly()} every child in
 * {@code @AfterEach}; logs are kept.
 */
public final class ChildJvm
{
    /** Where child logs go. */
    public static final Path LOG_DIR = Path.of("target", "child-logs").toAbsolutePath();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Start {@code mainClass} in a new JVM.
     *
     * @param name      label for the log file, e.g. "producer-1".
     * @param mainClass class with a {@code main} method on this JVM's class path.
     * @param jvmArgs   extra JVM flags (may be empty).
     * @param args      program arguments.
     * @return the running child.
     * @throws IOException if it cannot be started.
     */
    public static ChildJvm start(final String name, final Class<?> mainClass, final List<String> jvmArgs,
        final String... args) throws IOException
    {
        return start(name, List.of(), mainClass, jvmArgs, args);
    }

    /**
     * Start {@code mainClass} in a new JVM under a command prefix, e.g. {@code ip netns exec NS} (which execs, so
     * the pid stays the JVM's).
     *
     * @param name          label for the log file.
     * @param commandPrefix words before {@code java}; empty for none.
     * @param mainClass     class with a {@code main} method on this JVM's class path.
     * @param jvmArgs       extra JVM flags (may be empty).
     * @param args          program arguments.
     * @return the running child.
     * @throws IOException if it cannot be started.
     */
    public static ChildJvm start(final String name, final List<String> commandPrefix, final Class<?> mainClass,
        final List<String> jvmArgs, final String... args) throws IOException
    {
        Files.createDirectories(LOG_DIR);
        final List<String> flags = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m"));
        flags.addAll(jvmArgs);
        final List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(JvmLauncher.command(flags, mainClass.getName(), List.of(args)));
        final Path log = LOG_DIR.resolve(name + "-" + System.nanoTime() + ".log");
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new ChildJvm(name, process, log);
    }

    /**
     * Start {@code mainClass} in a new JVM with no extra JVM flags.
     *
     * @param name      label for the log file.
     * @param mainClass class with a {@code main} method.
     * @param args      program arguments.
     * @return the running child.
     * @throws IOException if it cannot be started.
     */
    public static ChildJvm start(final String name, final Class<?> mainClass, final String... args) throws IOException
    {
        return start(name, mainClass, List.of(), args);
    }

    /**
     * Wait for the child to exit.
     *
     * @param timeoutMs how long to wait.
     * @return the exit code.
     * @throws AssertionError if it does not exit in time (it is killed), with the tail of its log.
     */
    public int waitFor(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + timeoutMs + " ms; log " + log + ":\n" + logTail());
        }
        return process.exitValue();
    }

    /**
     * Wait for the child to exit with status 0.
     *
     * @param timeoutMs how long to wait.
     * @throws AssertionError on timeout or a non-zero exit, with the tail of its log.
     */
    public void awaitSuccess(final long timeoutMs) throws InterruptedException
    {
        final int code = waitFor(timeoutMs);
        if (code != 0)
        {
            throw new AssertionError(name + " exited with " + code + "; log " + log + ":\n" + logTail());
        }
    }

    /**
     * @return the last 4 KiB of the child's output.
     */
    public String logTail()
    {
        try
        {
            final String text = Files.readString(log);
            return text.length() <= 4096 ? text : text.substring(text.length() - 4096);
        }
        catch (final IOException ex)
        {
            return "(log unreadable: " + ex + ")";
        }
    }

    /**
     * @return the child's whole output so far.
     * @throws IOException if the log cannot be read.
     */
    public String log() throws IOException
    {
        return Files.readString(log);
    }

    /**
     * @return the child process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * @return the child's pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Kill the child at once if it still runs (SIGKILL). Idempotent.
     */
    public void destroyForcibly()
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

    /**
     * Send a POSIX signal with {@code kill}.
     *
     * @param signal e.g. "STOP", "CONT", "INT", "KILL".
     * @throws IOException if {@code kill} cannot be run or fails.
     */
    public void signal(final String signal) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IOException("kill -" + signal + " " + pid() + " failed with " + kill.exitValue());
        }
    }

    public String toString()
    {
        return name + "(pid=" + pid() + ", log=" + log + ")";
    }
}

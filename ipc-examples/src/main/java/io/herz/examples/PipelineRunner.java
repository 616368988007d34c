package io.herz.examples;

import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.status.SegmentStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link PipelineSpec}: every stage in its own JVM (same {@code java}, same class path), their output
 * prefixed with the stage name, a progress line per ring every interval, and an orderly stop: sources
 * ({@code produce} stages) first, so that end of stream flows downstream and consumers drain, then the rest.
 * Removes the rings it created.
 */
final class PipelineRunner implements AutoCloseable
{
    private static final long DRAIN_TIMEOUT_MS = 10_000;
    private static final long TERM_TIMEOUT_MS = 5_000;

    private final PipelineSpec spec;
    private final PrintStream out;
    private final List<String> jvmArgs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<Thread> pumps = new ArrayList<>();
    private final List<Path> createdRings = new ArrayList<>();
    private final List<Path> createdDirectories = new ArrayList<>();
    private final Map<String, Segment> watched = new HashMap<>();
    private final Map<String, SegmentStatus> lastStatus = new HashMap<>();
    private volatile boolean stopping;
    private boolean closed;

    PipelineRunner(final PipelineSpec spec, final PrintStream out, final List<String> jvmArgs)
    {
        this.spec = spec;
        this.out = out;
        this.jvmArgs = jvmArgs;
    }

    /**
     * Start every stage and wait until all have exited.
     *
     * @param progressIntervalMs how often to print progress; 0 for never.
     * @return 0 if every stage exited 0, else 1.
     */
    int run(final long progressIntervalMs) throws IOException, InterruptedException
    {
        for (final Path ring : spec.rings().values())
        {
            if (!Files.exists(ring))
            {
                createdRings.add(ring);
            }
            if (!Files.exists(ring.getParent()))
            {
                createdDirectories.add(0, ring.getParent());
                Files.createDirectories(ring.getParent());
            }
        }
        for (final Map.Entry<String, List<String>> stage : spec.stages().entrySet())
        {
            start(stage.getKey(), stage.getValue());
        }

        final Map<String, Integer> exits = new LinkedHashMap<>();
        long nextProgressNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(progressIntervalMs);
        while (exits.size() < processes.size())
        {
            for (final Map.Entry<String, Process> entry : processes.entrySet())
            {
                final Process process = entry.getValue();
                if (!exits.containsKey(entry.getKey()) && !process.isAlive())
                {
                    final int code = process.exitValue();
                    exits.put(entry.getKey(), code);
                    print("[pipeline] stage " + entry.getKey() + " exited with " + code);
                    if (code != 0 && !stopping)
                    {
                        print("[pipeline] stage " + entry.getKey() + " failed: stopping the pipeline");
                        stopAsync();
                    }
                }
            }
            if (progressIntervalMs > 0 && System.nanoTime() - nextProgressNs >= 0)
            {
                nextProgressNs += TimeUnit.MILLISECONDS.toNanos(progressIntervalMs);
                progress();
            }
            Thread.sleep(20);
        }
        for (final Thread pump : pumps)
        {
            pump.join(1_000);
        }
        int result = 0;
        for (final int code : exits.values())
        {
            result |= code == 0 ? 0 : 1;
        }
        return result;
    }

    private void start(final String name, final List<String> args) throws IOException
    {
        final List<String> command = JvmLauncher.command(jvmArgs, HerzCli.class.getName(), args);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.put(name, process);
        print("[pipeline] started " + name + " (pid " + process.pid() + "): herz " + String.join(" ", args));
        final Thread pump = new Thread(() -> pump(name, process), "pump-" + name);
        pump.setDaemon(true);
        pump.start();
        pumps.add(pump);
    }

    private void pump(final String name, final Process process)
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                print("[" + name + "] " + line);
            }
        }
        catch (final IOException ignore)
        {
            // the child went away: its exit code tells the story
        }
    }

    private synchronized void progress()
    {
        if (closed)
        {
            return;
        }
        final StringBuilder sb = new StringBuilder("[pipeline]");
        final int emptyLength = sb.length();
        for (final Map.Entry<String, Path> ring : spec.rings().entrySet())
        {
            final Segment segment = watch(ring.getKey(), ring.getValue());
            if (segment == null)
            {
                continue;
            }
            final SegmentStatus now = SegmentStatus.capture(segment);
            final SegmentStatus before = lastStatus.put(ring.getKey(), now);
            long backPressure = 0;
            for (final SegmentStatus.ProducerStatus producer : now.producers())
            {
                backPressure += producer.backPressureCount();
            }
            final double seconds = before == null ? 0 : (now.capturedNs() - before.capturedNs()) / 1e9;
            final String rate = before == null || seconds <= 0 ? "-" :
                String.format("%,.0f", (now.recordsConsumed() - before.recordsConsumed()) / seconds);
            sb.append(String.format(" %s: %,d consumed (%s/s) lag %,d B back-pressure %,d;", ring.getKey(),
                now.recordsConsumed(), rate, now.lagBytes(), backPressure));
        }
        if (sb.length() > emptyLength)
        {
            print(sb.toString());
        }
    }

    private Segment watch(final String name, final Path path)
    {
        Segment segment = watched.get(name);
        if (segment == null && Files.exists(path))
        {
            try
            {
                segment = Segment.openReadOnly(path);
                watched.put(name, segment);
            }
            catch (final SegmentException ex)
            {
                return null; // not ready yet
            }
        }
        return segment;
    }

    private void print(final String line)
    {
        synchronized (out) // not the runner's lock: close() holds that while the pumps still print
        {
            out.println(line);
            out.flush();
        }
    }

    private void stopAsync()
    {
        final Thread stopper = new Thread(this::stop, "pipeline-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    /**
     * Stop the pipeline in order: sources get SIGTERM (they finish their message and send end of stream), the
     * others get time to drain, then SIGTERM, then SIGKILL. Idempotent.
     */
    void stop()
    {
        if (stopping)
        {
            return;
        }
        stopping = true;
        for (final Map.Entry<String, Process> entry : processes.entrySet())
        {
            if (isSource(entry.getKey()))
            {
                entry.getValue().destroy();
            }
        }
        awaitAll(DRAIN_TIMEOUT_MS);
        processes.values().forEach(Process::destroy);
        awaitAll(TERM_TIMEOUT_MS);
        processes.values().forEach(Process::destroyForcibly);
        awaitAll(TERM_TIMEOUT_MS);
    }

    private boolean isSource(final String stage)
    {
        final List<String> args = spec.stages().get(stage);
        return !args.isEmpty() && "produce".equals(args.get(0));
    }

    private void awaitAll(final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final Process process : processes.values())
        {
            final long leftNs = deadline - System.nanoTime();
            try
            {
                if (leftNs <= 0 || !process.waitFor(leftNs, TimeUnit.NANOSECONDS))
                {
                    return;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stop what still runs, unmap watched rings and delete the rings this run created.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stop();
        for (final Thread pump : pumps)
        {
            try
            {
                pump.join(5_000); // let the stages' last lines (summaries) reach the output
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        watched.values().forEach(Segment::close);
        watched.clear();
        for (final Path ring : createdRings)
        {
            try
            {
                Files.deleteIfExists(ring);
            }
            catch (final IOException ex)
            {
                print("[pipeline] cannot remove " + ring + ": " + ex);
            }
        }
        for (final Path directory : createdDirectories)
        {
            try
            {
                Files.deleteIfExists(directory); // only if empty: files of others stay
            }
            catch (final IOException ex)
            {
                print("[pipeline] left directory " + directory + " in place: " + ex);
            }
        }
    }
}

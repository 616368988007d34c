package io.herz.examples;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.segment.SegmentSpace;
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
 * Runs a {@link PipelineSpec}: checks its {@link PipelineGraph}, then starts every stage instance in its own JVM
 * (same {@code java}, same class path, placed as {@link Placement} says) in dependency order (readers first), their
 * output prefixed with the instance's label, a progress line per ring partition every interval, and an orderly
 * stop: sources ({@code produce} stages) first, so that end of stream flows downstream and consumers drain, then
 * the rest. Each instance's CPU time is sampled while it runs and printed when it exits. Creates the directories of
 * {@code shm:} rings and removes the ring files it did not find there; {@code aeron:} streams pass through.
 */
final class PipelineRunner implements AutoCloseable
{
    private static final long DRAIN_TIMEOUT_MS = 10_000;
    private static final long TERM_TIMEOUT_MS = 5_000;

    private final PipelineSpec spec;
    private final PipelineGraph graph;
    private final Map<String, String> commands = new HashMap<>();
    private final Map<String, Long> cpuNs = new HashMap<>();
    private final Map<String, Path> ringFiles = new LinkedHashMap<>();
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
        this.graph = PipelineGraph.of(spec);
        this.out = out;
        this.jvmArgs = jvmArgs;
        for (final PipelineSpec.Ring ring : spec.rings().values())
        {
            final List<Path> files = ring.files();
            for (int i = 0; i < files.size(); i++)
            {
                ringFiles.put(ring.partitions() > 1 ? ring.name() + "[" + i + "]" : ring.name(), files.get(i));
            }
        }
        for (final PipelineSpec.Instance instance : spec.instances())
        {
            commands.put(instance.label(), instance.command());
        }
    }

    /**
     * Check, before any process starts, that the file systems of the rings still to be created have room for them all
     * (each ring's capacity is the {@code --capacity} of the stages naming it, else the default 16 MiB), so that a
     * small {@code /dev/shm} (Docker's 64 MB) is reported at once, with the fix, instead of by a stage later.
     *
     * @throws io.herz.ipc.segment.SegmentException naming the space asked, the space free and the fix.
     */
    void requireSpace()
    {
        final Map<Path, Long> bytesByDirectory = new HashMap<>();
        final Map<Path, Integer> ringsByDirectory = new HashMap<>();
        for (final Path ring : ringFiles.values())
        {
            if (!Files.exists(ring))
            {
                final long bytes = SegmentSpace.fileLength(new SegmentConfig().capacity(capacityOf(ring)));
                bytesByDirectory.merge(ring.toAbsolutePath().getParent(), bytes, Long::sum);
                ringsByDirectory.merge(ring.toAbsolutePath().getParent(), 1, Integer::sum);
            }
        }
        for (final Map.Entry<Path, Long> entry : bytesByDirectory.entrySet())
        {
            SegmentSpace.requireSpace(entry.getKey(), entry.getValue(),
                "the " + ringsByDirectory.get(entry.getKey()) + " ring(s) of pipeline " + spec.source());
        }
    }

    private long capacityOf(final Path ring)
    {
        long capacity = SegmentConfig.DEFAULT_CAPACITY;
        boolean named = false;
        for (final PipelineSpec.Instance instance : spec.instances())
        {
            final List<String> args = instance.args();
            final int at = args.indexOf("--capacity");
            if (at >= 0 && at + 1 < args.size() && String.join(" ", args).contains(ring.toString()))
            {
                final long asked = new Converters.Size().convert(args.get(at + 1));
                capacity = named ? Math.max(capacity, asked) : asked;
                named = true;
            }
        }
        return capacity;
    }

    /**
     * @return the checked graph this runner starts.
     */
    PipelineGraph graph()
    {
        return graph;
    }

    /**
     * @param label a stage instance's label, e.g. "agg[1]".
     * @return its process, or null before it started.
     */
    Process process(final String label)
    {
        return processes.get(label);
    }

    /**
     * Start every stage and wait until all have exited.
     *
     * @param progressIntervalMs how often to print progress; 0 for never.
     * @return 0 if every stage exited 0, else 1.
     */
    int run(final long progressIntervalMs) throws IOException, InterruptedException
    {
        graph.check();
        graph.warnings().forEach(warning -> print("[pipeline] warning: " + warning));
        requireSpace();
        for (final Path ring : ringFiles.values())
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
        for (final PipelineSpec.Instance instance : graph.startOrder())
        {
            start(instance);
        }

        final Map<String, Integer> exits = new LinkedHashMap<>();
        long loops = 0;
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
                    final Long cpu = cpuNs.get(entry.getKey());
                    print("[pipeline] stage " + entry.getKey() + " exited with " + code +
                        (null == cpu ? "" : String.format(" (cpu %.2f s, sampled)", cpu / 1e9)));
                    if (code != 0 && !stopping)
                    {
                        print("[pipeline] stage " + entry.getKey() + " failed: stopping the pipeline");
                        stopAsync();
                    }
                }
            }
            if (0 == (++loops % 5))
            {
                sampleCpu(); // every ~100 ms: each sample reads /proc for every child
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

    private void sampleCpu()
    {
        for (final Map.Entry<String, Process> entry : processes.entrySet())
        {
            entry.getValue().info().totalCpuDuration()
                .ifPresent(cpu -> cpuNs.put(entry.getKey(), cpu.toNanos()));
        }
    }

    private void start(final PipelineSpec.Instance instance) throws IOException
    {
        final String name = instance.label();
        final List<String> args = instance.args();
        final List<String> command = Placement.command(instance, jvmArgs);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.put(name, process);
        print("[pipeline] started " + name + " (pid " + process.pid() + "): " +
            (null == instance.cpus() ? "" : "taskset -c " + instance.cpus() + " ") +
            (instance.jvmFlags().isEmpty() ? "" : "[jvm " + String.join(" ", instance.jvmFlags()) + "] ") +
            "herz " + String.join(" ", args));
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
        for (final Map.Entry<String, Path> ring : ringFiles.entrySet())
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

    private boolean isSource(final String label)
    {
        return "produce".equals(commands.get(label));
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

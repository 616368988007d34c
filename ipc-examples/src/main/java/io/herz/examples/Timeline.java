package io.herz.examples;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * An opt-in rate timeline for a stage ({@code --timeline 100ms}): every interval, one line on the given stream with
 * the stage's counts in that interval and what the JVM spent it on, e.g.
 * <pre>
 * timeline: 2.40 s events +212,481 (2.12M/s) results +134,009 | main thread cpu 98 ms (2.17M events per cpu-s) | JIT cpu 0.95 s (+40 ms) | GC 5 (+0)
 * </pre>
 * The time is since the stage's first line (its loop's start); "per cpu-s" divides the first count by the main
 * thread's CPU in the interval, so it tells the code's speed (JIT warm-up) apart from the machine's load, which moves
 * the rate per wall second only. JIT is the compiler threads' CPU so far ({@code JIT cpu}, {@link CompilerThreads},
 * Linux), or elsewhere the JVM's accumulated compilation time ({@code JIT elapsed}); GC the collections so far. Reads
 * the thread's CPU time once per interval (a system call), nothing per event; allocates only when it prints.
 * Not thread-safe: the stage's main thread calls {@link #maybePrint(long)}.
 */
final class Timeline
{
    private final PrintStream out;
    private final long intervalNs;
    private final String[] labels;
    private final LongSupplier[] sources;
    private final long[] last;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    private final boolean jitCpu = CompilerThreads.cpuNs() >= 0;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final long startNs;
    private long nextNs;
    private long lastNs;
    private long lastCpuNs;
    private long lastJitMs;
    private long lastGcCount;

    /**
     * @param out        where the lines go.
     * @param intervalNs the interval, more than 0.
     * @param labels     a name per count, e.g. "events".
     * @param sources    the counts, monotonic, read on the calling thread.
     * @param nowNs      now, {@link System#nanoTime()}.
     */
    Timeline(final PrintStream out, final long intervalNs, final String[] labels, final LongSupplier[] sources,
        final long nowNs)
    {
        if (intervalNs <= 0)
        {
            throw new IllegalArgumentException("timeline interval: expected more than 0 ns, found " + intervalNs);
        }
        this.out = out;
        this.intervalNs = intervalNs;
        this.labels = labels.clone();
        this.sources = sources.clone();
        this.last = new long[sources.length];
        this.startNs = nowNs;
        this.lastNs = nowNs;
        this.nextNs = nowNs + intervalNs;
        this.lastCpuNs = threads.getCurrentThreadCpuTime();
        this.lastJitMs = jitMs();
        this.lastGcCount = gcCount();
    }

    /**
     * Print a line if an interval has passed since the last one.
     *
     * @param nowNs now, {@link System#nanoTime()}.
     */
    void maybePrint(final long nowNs)
    {
        if (nowNs - nextNs >= 0)
        {
            print(nowNs);
        }
    }

    /**
     * Print the line of the interval that ends now (at the end of the run: the last, partial interval).
     *
     * @param nowNs now, {@link System#nanoTime()}.
     */
    void print(final long nowNs)
    {
        final long cpuNs = threads.getCurrentThreadCpuTime();
        final long jitMs = jitMs();
        final long gcCount = gcCount();
        final double seconds = Math.max(1, nowNs - lastNs) / 1e9;
        final StringBuilder line = new StringBuilder(200)
            .append(String.format("timeline: %.2f s", (nowNs - startNs) / 1e9));
        long firstDelta = 0;
        for (int i = 0; i < sources.length; i++)
        {
            final long value = sources[i].getAsLong();
            final long delta = value - last[i];
            last[i] = value;
            if (0 == i)
            {
                firstDelta = delta;
            }
            line.append(String.format(" %s +%,d", labels[i], delta));
            if (0 == i)
            {
                line.append(" (").append(rate(delta / seconds)).append("/s)");
            }
        }
        final long cpuDeltaNs = cpuNs - lastCpuNs;
        line.append(String.format(" | main thread cpu %d ms", cpuDeltaNs / 1_000_000));
        if (cpuDeltaNs > 0)
        {
            line.append(" (").append(rate(firstDelta / (cpuDeltaNs / 1e9))).append(' ').append(labels[0])
                .append(" per cpu-s)");
        }
        line.append(String.format(" | JIT %s %.2f s (+%d ms) | GC %d (+%d)", jitCpu ? "cpu" : "elapsed", jitMs / 1e3,
            jitMs - lastJitMs, gcCount, gcCount - lastGcCount));
        out.println(line);
        lastNs = nowNs;
        lastCpuNs = cpuNs;
        lastJitMs = jitMs;
        lastGcCount = gcCount;
        nextNs = nowNs + intervalNs;
    }

    private static String rate(final double perSecond)
    {
        return perSecond >= 1e6 ? String.format("%.2fM", perSecond / 1e6) : String.format("%.0fk", perSecond / 1e3);
    }

    private long jitMs()
    {
        if (jitCpu)
        {
            return Math.max(0, CompilerThreads.cpuNs()) / 1_000_000;
        }
        return null != compilation && compilation.isCompilationTimeMonitoringSupported() ?
            compilation.getTotalCompilationTime() : 0;
    }

    private long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : collectors)
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }
}

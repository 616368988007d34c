package io.herz.examples;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The CPU line a stage prints at the end of its run, so that where a stage's time went can be told apart on a
 * machine whose cores the stages share (where wall-clock rates say as much about the neighbours as about the
 * stage): {@code cpu: process 3.21 s, main thread 2.10 s, JIT compilers 0.85 s (compiling 1.40 s elapsed), GC 0.05
 * s in 12 collections; JVM up 5.20 s}. Process CPU is user + system of every thread
 * ({@code com.sun.management.OperatingSystemMXBean}), the main thread's is the calling thread's
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()}), the JIT compilers' is the CPU time of the compiler threads
 * ({@link CompilerThreads}, Linux) followed by the JVM's accumulated compilation time
 * ({@link CompilationMXBean#getTotalCompilationTime()}, elapsed, so on a busy machine it counts a compiler's waits
 * for a core too), GC is the collectors' accumulated time. A figure the JVM or the OS does not give is printed as
 * {@code n/a}. Read once, at the end (it loads the management classes).
 */
final class CpuReport
{
    private CpuReport()
    {
    }

    /**
     * @return this JVM's CPU line, now; call it on the stage's main thread.
     */
    static String line()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        final long processNs = os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : -1;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long mainNs = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
        final long jitMs = null != compilation && compilation.isCompilationTimeMonitoringSupported() ?
            compilation.getTotalCompilationTime() : -1;
        long gcMs = 0;
        long gcCount = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            gcMs += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
        }
        return line(processNs, mainNs, CompilerThreads.cpuNs(), jitMs, gcMs, gcCount,
            ManagementFactory.getRuntimeMXBean().getUptime());
    }

    /**
     * @param processNs process CPU in ns, negative if unknown.
     * @param mainNs    main thread CPU in ns, negative if unknown.
     * @param jitCpuNs  the compiler threads' CPU in ns, negative if unknown.
     * @param jitMs     accumulated compilation time (elapsed) in ms, negative if unknown.
     * @param gcMs      accumulated collection time in ms.
     * @param gcCount   collections.
     * @param uptimeMs  JVM uptime in ms.
     * @return the line.
     */
    static String line(
        final long processNs, final long mainNs, final long jitCpuNs, final long jitMs, final long gcMs,
        final long gcCount, final long uptimeMs)
    {
        return String.format("cpu: process %s, main thread %s, JIT compilers %s (compiling %s elapsed), GC %.2f s in " +
            "%d collections; JVM up %.2f s", seconds(processNs, 1e9), seconds(mainNs, 1e9), seconds(jitCpuNs, 1e9),
            seconds(jitMs, 1e3), gcMs / 1e3, gcCount, uptimeMs / 1e3);
    }

    private static String seconds(final long value, final double perSecond)
    {
        return value < 0 ? "n/a" : String.format("%.2f s", value / perSecond);
    }
}

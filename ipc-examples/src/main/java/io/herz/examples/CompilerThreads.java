package io.herz.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * CPU time of this JVM's JIT compiler threads, read from Linux's per-thread scheduler statistics
 * ({@code /proc/self/task/TID/comm} names them {@code C1 CompilerThre}, {@code C2 CompilerThre};
 * {@code /proc/self/task/TID/schedstat} starts with the thread's time on a CPU in ns). The JVM's own figure,
 * {@link java.lang.management.CompilationMXBean#getTotalCompilationTime()}, is the compilations' elapsed time: on a
 * machine whose cores the stages share it counts the time a compiler thread waited for a core too, and was measured
 * above the whole process's CPU (4.2 s against 3.9 s). A compiler thread the JVM has stopped since (dynamic compiler
 * threads) is no longer listed, so this is a lower bound where the JVM retires them. Allocates (a directory listing);
 * read once per report or per timeline line, never per event.
 */
final class CompilerThreads
{
    private static final Path TASKS = Paths.get("/proc/self/task");

    private CompilerThreads()
    {
    }

    /**
     * @return the CPU time of the compiler threads now listed, in ns, or -1 where this is not Linux or nothing could
     * be read.
     */
    static long cpuNs()
    {
        return cpuNs(TASKS);
    }

    /**
     * @param tasks a {@code /proc/PID/task} directory.
     * @return the CPU time of its threads named {@code C1 CompilerThre...} or {@code C2 CompilerThre...}, in ns, or -1
     * where the directory cannot be read or names no compiler thread.
     */
    static long cpuNs(final Path tasks)
    {
        if (!Files.isDirectory(tasks))
        {
            return -1;
        }
        long total = 0;
        boolean found = false;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks))
        {
            for (final Path thread : threads)
            {
                final long ns = compilerCpuNs(thread);
                if (ns >= 0)
                {
                    total += ns;
                    found = true;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        return found ? total : -1;
    }

    private static long compilerCpuNs(final Path thread)
    {
        try
        {
            final String comm = new String(Files.readAllBytes(thread.resolve("comm")), StandardCharsets.US_ASCII);
            if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre"))
            {
                return -1;
            }
            final String schedstat = new String(Files.readAllBytes(thread.resolve("schedstat")),
                StandardCharsets.US_ASCII).trim();
            final int space = schedstat.indexOf(' ');
            return Long.parseLong(space < 0 ? schedstat : schedstat.substring(0, space));
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1; // the thread ended meanwhile, or a kernel without schedstat
        }
    }
}

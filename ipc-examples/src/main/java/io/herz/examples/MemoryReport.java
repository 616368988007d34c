package io.herz.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory line every stage prints at the end of its run, so that a pipeline's footprint can be added up per JVM:
 * {@code memory: peak RSS 84 MB, heap used 31 MB of 64 MB max}. The peak resident set is the kernel's high-water
 * mark ({@code VmHWM} in {@code /proc/self/status}: heap, metaspace, code, thread stacks and every page of a mapped
 * ring this JVM touched), or {@code n/a} where there is no such file; heap used and max are the JVM's at the end of
 * the run ({@link Runtime}). MB are MiB, rounded.
 */
final class MemoryReport
{
    /** Parses a memory line; group 1: peak RSS in MB or "n/a", 2: heap used MB, 3: heap max MB. */
    static final Pattern LINE = Pattern.compile(
        "memory: peak RSS (n/a|[0-9]+ MB), heap used ([0-9]+) MB of ([0-9]+) MB max");

    private static final Path SELF_STATUS = Path.of("/proc/self/status");
    private static final double MB = 1024.0 * 1024.0;

    private MemoryReport()
    {
    }

    /**
     * @return this JVM's memory line, now.
     */
    static String line()
    {
        final Runtime runtime = Runtime.getRuntime();
        return line(peakRssKb(SELF_STATUS), runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
    }

    /**
     * @param peakRssKb     the peak resident set in KiB, or a negative number where unknown.
     * @param heapUsedBytes heap in use.
     * @param heapMaxBytes  the heap's limit.
     * @return the memory line.
     */
    static String line(final long peakRssKb, final long heapUsedBytes, final long heapMaxBytes)
    {
        return String.format("memory: peak RSS %s, heap used %.0f MB of %.0f MB max",
            peakRssKb < 0 ? "n/a" : String.format("%.0f MB", peakRssKb / 1024.0), heapUsedBytes / MB,
            heapMaxBytes / MB);
    }

    /**
     * @param status a {@code /proc/PID/status} file.
     * @return its {@code VmHWM} in KiB, or -1 if the file or the field is missing or unreadable.
     */
    static long peakRssKb(final Path status)
    {
        final String value = Placement.statusField(status, "VmHWM");
        if (null == value || !value.endsWith("kB"))
        {
            return -1;
        }
        try
        {
            return Long.parseLong(value.substring(0, value.length() - 2).strip());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * @param line a line of a stage's output.
     * @return the peak RSS in MB it reports, or -1 if it is not a memory line or says n/a.
     */
    static long peakRssMb(final String line)
    {
        final Matcher matcher = LINE.matcher(line);
        if (!matcher.find() || "n/a".equals(matcher.group(1)))
        {
            return -1;
        }
        return Long.parseLong(matcher.group(1).substring(0, matcher.group(1).length() - 3));
    }
}

package io.herz.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory line every stage prints at the end of its run, so that a pipeline's footprint can be added up per JVM:
 * {@code memory: peak RSS 84 MB, heap used 31 MB of 64 MB max; resident now 40 MB private, 20 MB file-backed, 24 MB
 * shared memory}. The peak resident set is the kernel's high-water mark ({@code VmHWM} in {@code /proc/self/status}:
 * heap, metaspace, code, thread stacks, the pages of the JDK's files and of the class-data sharing archive, and every
 * page of a mapped ring this JVM touched), or {@code n/a} where there is no such file; heap used and max are the
 * JVM's at the end of the run ({@link Runtime}). The resident set now is split as the kernel counts it
 * ({@code RssAnon}, {@code RssFile}, {@code RssShmem}): file-backed pages (JDK, jar, archive) and shared memory (the
 * rings in {@code /dev/shm}) are shared with the other JVMs of a pipeline, so a pipeline's own memory is the sum of
 * the private parts plus each ring and file once, less than the sum of the peaks; the split is left out where the
 * kernel does not give it. MB are MiB, rounded.
 */
final class MemoryReport
{
    /** Parses a memory line; group 1: peak RSS in MB or "n/a", 2: heap used MB, 3: heap max MB. */
    static final Pattern LINE = Pattern.compile(
        "memory: peak RSS (n/a|[0-9]+ MB), heap used ([0-9]+) MB of ([0-9]+) MB max" +
        "(?:; resident now ([0-9]+) MB private, ([0-9]+) MB file-backed, ([0-9]+) MB shared memory)?");

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
        final String line = line(peakRssKb(SELF_STATUS), runtime.totalMemory() - runtime.freeMemory(),
            runtime.maxMemory());
        final long anonKb = kb(SELF_STATUS, "RssAnon");
        final long fileKb = kb(SELF_STATUS, "RssFile");
        final long shmemKb = kb(SELF_STATUS, "RssShmem");
        return anonKb < 0 || fileKb < 0 || shmemKb < 0 ? line : line + split(anonKb, fileKb, shmemKb);
    }

    /**
     * @param anonKb  private resident KiB.
     * @param fileKb  file-backed resident KiB.
     * @param shmemKb shared-memory resident KiB.
     * @return the split the memory line ends with.
     */
    static String split(final long anonKb, final long fileKb, final long shmemKb)
    {
        return String.format("; resident now %.0f MB private, %.0f MB file-backed, %.0f MB shared memory",
            anonKb / 1024.0, fileKb / 1024.0, shmemKb / 1024.0);
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
        return kb(status, "VmHWM");
    }

    /**
     * @param status a {@code /proc/PID/status} file.
     * @param field  a field in kB, e.g. "RssAnon".
     * @return its value in KiB, or -1 if the file or the field is missing or unreadable.
     */
    static long kb(final Path status, final String field)
    {
        final String value = Placement.statusField(status, field);
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

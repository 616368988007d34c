package io.herz.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryReportTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWritePeakRssAndHeapInOneLineThatParses()
    {
        final String line = MemoryReport.line(86_016, 31L << 20, 64L << 20);

        assertEquals("memory: peak RSS 84 MB, heap used 31 MB of 64 MB max", line);
        assertEquals(84, MemoryReport.peakRssMb("[sink] " + line));
    }

    @Test
    void shouldSayNotAvailableWhenPeakRssIsUnknown()
    {
        final String line = MemoryReport.line(-1, 3L << 20, 128L << 20);

        assertEquals("memory: peak RSS n/a, heap used 3 MB of 128 MB max", line);
        assertEquals(-1, MemoryReport.peakRssMb(line));
        assertTrue(MemoryReport.LINE.matcher(line).find(), line);
    }

    @Test
    void shouldReadPeakAndSplitFromStatusFile() throws Exception
    {
        final Path status = Files.writeString(dir.resolve("status"),
            "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t   75776 kB\nVmRSS:\t   70000 kB\nRssAnon:\t   40960 kB\n" +
                "RssFile:\t   20480 kB\nRssShmem:\t    8192 kB\n");

        assertEquals(75_776, MemoryReport.peakRssKb(status));
        assertEquals(40_960, MemoryReport.kb(status, "RssAnon"));
        assertEquals(-1, MemoryReport.kb(status, "VmSwap"));
        assertEquals(-1, MemoryReport.peakRssKb(dir.resolve("missing")));
        final String line = MemoryReport.line(75_776, 4L << 20, 128L << 20) + MemoryReport.split(40_960, 20_480, 8_192);
        assertEquals("memory: peak RSS 74 MB, heap used 4 MB of 128 MB max; resident now 40 MB private, 20 MB " +
            "file-backed, 8 MB shared memory", line);
        final Matcher matcher = MemoryReport.LINE.matcher(line);
        assertTrue(matcher.matches(), line);
        assertEquals("40", matcher.group(4));
        assertEquals("20", matcher.group(5));
        assertEquals("8", matcher.group(6));
    }

    @Test
    void shouldReportThisJvm()
    {
        final String line = MemoryReport.line();

        final Matcher matcher = MemoryReport.LINE.matcher(line);
        assertTrue(matcher.matches(), line);
        assertTrue(MemoryReport.peakRssMb(line) > 0, line); // Linux: /proc/self/status is there
        assertEquals(Math.round(Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0)),
            Long.parseLong(matcher.group(3)), line);
    }
}

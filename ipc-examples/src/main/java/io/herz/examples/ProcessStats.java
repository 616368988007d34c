package io.herz.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Figures about this process for the commands' closing summaries.
 */
final class ProcessStats
{
    private ProcessStats()
    {
    }

    /**
     * @return the peak resident set size (VmHWM from /proc/self/status) as text, or "n/a" off Linux.
     */
    static String peakRss()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    final long kb = Long.parseLong(line.substring(6).replace("kB", "").strip());
                    return String.format("%.0f MB", kb / 1024.0);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return "n/a";
        }
        return "n/a";
    }
}

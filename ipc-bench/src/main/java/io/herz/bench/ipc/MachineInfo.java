package io.herz.bench.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The machine a result came from, for the report: processors, CPU model, JDK, OS, date and load.
 */
final class MachineInfo
{
    private MachineInfo()
    {
    }

    /**
     * @return Markdown bullet lines describing this machine now.
     */
    static String describe()
    {
        return String.join(System.lineSeparator(),
            "- date: " + Instant.now(),
            "- nproc: " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")",
            "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
                System.getProperty("os.arch"),
            "- load average before: " + loadAverage());
    }

    /**
     * @return the first three fields of {@code /proc/loadavg}, or "unknown".
     */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            return "cpu unknown";
        }
        return "cpu unknown";
    }
}

package io.herz.bench.ipc;

import io.herz.ipc.process.JvmLauncher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The machine a result came from, for the report: processors, CPU model, JDK, OS, date, load and the flags of the
 * benchmark's JVMs.
 *
 * @param date       when the run started, UTC.
 * @param processors available processors.
 * @param cpu        the CPU model.
 * @param jdk        the JDK of every JVM of the run.
 * @param os         the operating system.
 * @param loadBefore load averages (1, 5, 15 min) before the run.
 * @param uptime     the output of {@code uptime}-like text: seconds since boot and load, from /proc.
 * @param jvmFlags   the flags every child JVM gets.
 */
record MachineInfo(
    String date, int processors, String cpu, String jdk, String os, String loadBefore, String uptime,
    String jvmFlags)
{
    /**
     * @return this machine now.
     */
    static MachineInfo now()
    {
        return new MachineInfo(
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            Runtime.getRuntime().availableProcessors(),
            cpuModel(),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
                System.getProperty("os.arch"),
            loadAverage(),
            uptimeText(),
            String.join(" ", JvmLauncher.REQUIRED_FLAGS) + " " + JvmLauncher.NO_BOUNDS_CHECKS +
                " -XX:+UseSerialGC -Xms64m -Xmx256m");
    }

    /**
     * @return a one-line title: machine, JDK, date.
     */
    String title()
    {
        return processors + " x " + cpu + ", " + jdk + ", " + date;
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

    private static String uptimeText()
    {
        try
        {
            final String uptime = Files.readString(Path.of("/proc/uptime")).trim();
            final double seconds = Double.parseDouble(uptime.split("\\s+")[0]);
            return String.format("up %.0f min, load average %s", seconds / 60, loadAverage());
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

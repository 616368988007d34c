package io.herz.examples;

import io.herz.ipc.process.JvmLauncher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where and how a pipeline stage's JVM runs: {@code cpus=LIST} starts it under {@code taskset -c LIST} (util-linux),
 * so the kernel keeps it, and every thread it starts, on those CPUs; {@code jvm="FLAGS"} adds JVM flags after the
 * stage kind's defaults ({@link StageJvm}) and the launcher's own (so {@code -Xmx} and the like override them). The
 * child command line is built by {@link JvmLauncher}, which also picks the AOT cache of the stage's kind (its command)
 * on JDK 25+. A CPU list names CPUs as taskset does ({@code 3}, {@code 2-3}, {@code 0,2-3}); it must lie within the
 * CPUs this launcher may use (its own {@code Cpus_allowed_list} in {@code /proc/self/status}), since a child cannot
 * be placed elsewhere.
 * <p>
 * taskset rather than {@code sched_setaffinity} through a native library: it is one exec of a standard tool, the
 * JVM keeps its pid (taskset execs {@code java}), and no native code enters the build.
 */
final class Placement
{
    private static final Pattern CPU_LIST = Pattern.compile("^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$");
    private static final Path SELF_STATUS = Path.of("/proc/self/status");

    private Placement()
    {
    }

    /**
     * The command line of an instance.
     *
     * @param instance the stage instance.
     * @param jvmArgs  the launcher's JVM flags for every stage.
     * @return {@code [taskset -c LIST] java ... HerzCli ARGS}.
     */
    static List<String> command(final PipelineSpec.Instance instance, final List<String> jvmArgs)
    {
        final List<String> flags = new ArrayList<>(
            StageJvm.defaults(instance.command(), jvmArgs, instance.jvmFlags()));
        flags.addAll(jvmArgs);
        flags.addAll(instance.jvmFlags());
        final List<String> command = new ArrayList<>();
        if (null != instance.cpus())
        {
            command.add("taskset");
            command.add("-c");
            command.add(instance.cpus());
        }
        command.addAll(JvmLauncher.command(flags, HerzCli.class.getName(), instance.args(), instance.command()));
        return command;
    }

    /**
     * Check an instance's placement on this machine.
     *
     * @param instance the stage instance.
     * @return what is wrong, naming the stage and the fix, or null when it can run here.
     */
    static String check(final PipelineSpec.Instance instance)
    {
        final String cpus = instance.cpus();
        if (null == cpus)
        {
            return null;
        }
        if (!CPU_LIST.matcher(cpus).matches())
        {
            return "stage " + instance.label() + ": cpus=" + cpus + " is not a CPU list: expected e.g. 3, 2-3 or " +
                "0,2-3";
        }
        final BitSet wanted = parse(cpus);
        if (wanted.isEmpty())
        {
            return "stage " + instance.label() + ": cpus=" + cpus + " names no CPU: expected ranges low-high";
        }
        final String allowedList = allowedCpuList();
        if (null != allowedList)
        {
            final BitSet outside = (BitSet)wanted.clone();
            outside.andNot(parse(allowedList));
            if (!outside.isEmpty())
            {
                return "stage " + instance.label() + ": cpus=" + cpus + " not allowed on this machine: expected " +
                    "CPUs within " + allowedList + " (Cpus_allowed_list of this process), found " +
                    format(outside) + " outside";
            }
        }
        if (null == findOnPath("taskset"))
        {
            return "stage " + instance.label() + ": cpus=" + cpus + " needs taskset on the PATH: expected the " +
                "util-linux package, found no taskset in " + System.getenv("PATH");
        }
        return null;
    }

    /**
     * @return this process's allowed CPUs as the kernel writes them (e.g. "0-1"), or null where unknown.
     */
    static String allowedCpuList()
    {
        return statusField(SELF_STATUS, "Cpus_allowed_list");
    }

    /**
     * @param status a {@code /proc/PID/status} file.
     * @param field  e.g. "Cpus_allowed_list".
     * @return its value, or null if unreadable.
     */
    static String statusField(final Path status, final String field)
    {
        try
        {
            for (final String line : Files.readAllLines(status))
            {
                if (line.startsWith(field + ":"))
                {
                    return line.substring(field.length() + 1).strip();
                }
            }
        }
        catch (final IOException ignore)
        {
            // not Linux, or the process is gone
        }
        return null;
    }

    /**
     * @param list a CPU list such as "0,2-3".
     * @return the CPUs it names.
     */
    static BitSet parse(final String list)
    {
        final BitSet cpus = new BitSet();
        for (final String range : list.split(","))
        {
            final int dash = range.indexOf('-');
            final int low = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            final int high = dash < 0 ? low : Integer.parseInt(range.substring(dash + 1));
            if (low <= high && high < 1 << 16)
            {
                cpus.set(low, high + 1);
            }
        }
        return cpus;
    }

    private static String format(final BitSet cpus)
    {
        final StringBuilder sb = new StringBuilder();
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1))
        {
            sb.append(sb.length() == 0 ? "" : ",").append(cpu);
        }
        return sb.toString();
    }

    private static Path findOnPath(final String program)
    {
        final String path = System.getenv("PATH");
        if (null == path)
        {
            return null;
        }
        for (final String dir : path.split(":"))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

package io.herz.bench.window;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Rows per second of the results path per CPU-second of the thread that runs it, for a machine shared with other
 * jobs, where JMH's wall-clock score measures the share the scheduler gave more than the code: the work of
 * {@link ResultsPathBenchmark#emitAndWrite} ({@code output} NULL or FILE) or {@link WindowCsvBenchmark#decodeAndWrite}
 * ({@code writer} HERZ), repeated until the thread has spent {@code iterationMs} of CPU time; {@code warmups}
 * iterations first (the JIT compiles on other threads, whose CPU time is not counted), then {@code iterations}
 * measured ones; prints their median, minimum and maximum and the wall-clock rate beside them.
 * <p>
 * Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.disable.bounds.checks=true
 * -Dsbe.enable.precedence.checks=false -cp ipc-bench/target/benchmarks.jar io.herz.bench.window.ResultsCpuHarness
 * [results-null|results-file|csv] [warmups] [iterations] [iterationMs]}. Put an older jar first on the class path to
 * measure its writers with this harness.
 */
public final class ResultsCpuHarness
{
    private ResultsCpuHarness()
    {
    }

    /**
     * @param args what to run, warm-up iterations, measured iterations, CPU milliseconds per iteration.
     * @throws Exception if the benchmark's set-up or tear-down fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final String what = args.length > 0 ? args[0] : "results-null";
        final int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        final int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final long iterationNs = (args.length > 3 ? Long.parseLong(args[3]) : 500) * 1_000_000L;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Work work = work(what);
        final double[] cpuRates = new double[iterations];
        final double[] wallRates = new double[iterations];
        try
        {
            for (int i = 0; i < warmups + iterations; i++)
            {
                final long cpuStart = threads.getCurrentThreadCpuTime();
                final long wallStart = System.nanoTime();
                long rows = 0;
                long cpu;
                do
                {
                    rows += work.run();
                    cpu = threads.getCurrentThreadCpuTime() - cpuStart;
                }
                while (cpu < iterationNs);
                final long wall = System.nanoTime() - wallStart;
                if (i >= warmups)
                {
                    cpuRates[i - warmups] = rows * 1e9 / cpu;
                    wallRates[i - warmups] = rows * 1e9 / wall;
                }
            }
        }
        finally
        {
            work.close();
        }
        Arrays.sort(cpuRates);
        Arrays.sort(wallRates);
        System.out.printf(Locale.ROOT, "%s: %.2fM rows per CPU-second (median of %d; min %.2fM, max %.2fM); " +
            "wall clock %.2fM rows/s (median)%n", what, cpuRates[iterations / 2] / 1e6, iterations, cpuRates[0] / 1e6,
            cpuRates[iterations - 1] / 1e6, wallRates[iterations / 2] / 1e6);
    }

    private static Work work(final String what) throws Exception
    {
        switch (what)
        {
            case "results-null":
            case "results-file":
            {
                final ResultsPathBenchmark benchmark = new ResultsPathBenchmark();
                benchmark.output = what.endsWith("file") ? "FILE" : "NULL";
                benchmark.batchBytes = 1024;
                benchmark.setUp();
                return new Work()
                {
                    public long run()
                    {
                        benchmark.emitAndWrite();
                        return ResultsPathBenchmark.ROWS;
                    }

                    public void close() throws Exception
                    {
                        benchmark.tearDown();
                    }
                };
            }
            case "csv":
            {
                final WindowCsvBenchmark benchmark = new WindowCsvBenchmark();
                benchmark.writer = "HERZ";
                benchmark.setUp();
                return new Work()
                {
                    public long run() throws Exception
                    {
                        benchmark.decodeAndWrite();
                        return WindowCsvBenchmark.ROWS;
                    }

                    public void close()
                    {
                    }
                };
            }
            default:
                throw new IllegalArgumentException("harness work: expected results-null, results-file or csv, found " +
                    what);
        }
    }

    private interface Work extends AutoCloseable
    {
        long run() throws Exception;
    }
}

package io.herz.bench.codec;

import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One-thread harness for {@link JsonProjectionBenchmark}'s peers that counts lines per second of the thread's own CPU
 * time as well as per second of wall time, so that on a shared, loaded machine the figure says what one core does
 * while it runs (time spent waiting for a core is not counted). The peers run interleaved, round after round, on the
 * benchmark's own lines; it prints the median and the range over the rounds.
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp ipc-bench/target/benchmarks.jar \
 *     io.herz.bench.codec.JsonProjectionCpuTime [rounds] [invocations per round] [peer...]
 * </pre>
 * Defaults: 15 rounds of 100 invocations ({@value JsonProjectionBenchmark#LINES} lines each), peers HERZ,
 * DSL_JSON_BARE, JACKSON_BARE, after a warm-up of 5 rounds per peer.
 */
public final class JsonProjectionCpuTime
{
    private JsonProjectionCpuTime()
    {
    }

    /**
     * @param args rounds, invocations per round, then the peers ({@link JsonProjectionBenchmark#parser} values).
     * @throws Exception if a peer fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        final int invocations = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        final String[] peers = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) :
            new String[]{ "HERZ", "DSL_JSON_BARE", "JACKSON_BARE" };
        final Blackhole blackhole = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        final JsonProjectionBenchmark[] benchmarks = new JsonProjectionBenchmark[peers.length];
        for (int p = 0; p < peers.length; p++)
        {
            benchmarks[p] = new JsonProjectionBenchmark();
            benchmarks[p].parser = peers[p];
            benchmarks[p].setUp(blackhole);
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final List<List<double[]>> results = new ArrayList<>();
        for (int p = 0; p < peers.length; p++)
        {
            results.add(new ArrayList<>());
        }
        for (int round = -5; round < rounds; round++)
        {
            for (int p = 0; p < peers.length; p++)
            {
                final long cpuBefore = threads.getCurrentThreadCpuTime();
                final long wallBefore = System.nanoTime();
                long lines = 0;
                for (int i = 0; i < invocations; i++)
                {
                    lines += benchmarks[p].project();
                }
                final long cpuNs = threads.getCurrentThreadCpuTime() - cpuBefore;
                final long wallNs = System.nanoTime() - wallBefore;
                if (round >= 0)
                {
                    results.get(p).add(new double[]{ lines * 1e9 / cpuNs, lines * 1e9 / wallNs });
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d rounds x %d x %d lines (%.1f bytes per line), peers interleaved%n",
            rounds, invocations, JsonProjectionBenchmark.LINES, benchmarks[0].meanLineLength());
        for (int p = 0; p < peers.length; p++)
        {
            final double[] cpu = results.get(p).stream().mapToDouble(r -> r[0]).sorted().toArray();
            final double[] wall = results.get(p).stream().mapToDouble(r -> r[1]).sorted().toArray();
            System.out.printf(Locale.ROOT,
                "%-14s lines per CPU second: median %.2fM (%.2fM..%.2fM); per wall second: median %.2fM%n",
                peers[p], cpu[cpu.length / 2] / 1e6, cpu[0] / 1e6, cpu[cpu.length - 1] / 1e6,
                wall[wall.length / 2] / 1e6);
        }
    }
}

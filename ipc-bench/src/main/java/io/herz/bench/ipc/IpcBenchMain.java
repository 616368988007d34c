package io.herz.bench.ipc;

import io.herz.bench.ring.RingPeer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The multi-process ring benchmark. For each run, producer count (default 1 and 2) and mode, and for each peer
 * (Herz, Agrona's {@code ManyToOneRingBuffer}; their order alternates from run to run), it creates a fresh ring file
 * of the same data capacity in {@code /dev/shm}, starts one consumer JVM ({@link IpcConsumerMain}) and the producer
 * JVMs ({@link IpcProducerMain}) with this JVM's {@code java} binary and class path, starts them together, and
 * collects their results:
 * <ul>
 * <li>throughput: {@code --messages} 64-byte messages in total, producers flat out; messages per second at the
 * consumer after the warm-up share;</li>
 * <li>latency: producers paced to {@code --rate} messages per second in total for {@code --duration} seconds;
 * one-way latency p50/p99/p99.9/max from {@code System.nanoTime()} stamps (CLOCK_MONOTONIC on Linux, shared by
 * every process of the host) into an HdrHistogram.</li>
 * </ul>
 * The consumer checks every message (producer id, per-producer sequence, payload); a scenario that loses, repeats,
 * reorders or tears a message fails the run. Every process idles with the same Agrona idle strategy.
 * <p>
 * Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp ipc-bench/target/benchmarks.jar
 * io.herz.bench.ipc.IpcBenchMain [--smoke]} or {@code bin/bench-ipc}. Exits 0 if every message of every scenario
 * was checked and found correct, 1 otherwise.
 */
public final class IpcBenchMain
{
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final IpcBenchOptions options;
    private final PrintStream out;
    private final Path logDirectory;

    private IpcBenchMain(final IpcBenchOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        this.logDirectory = options.logDirectory.resolve("ipc-bench-" + ProcessHandle.current().pid());
    }

    /**
     * @param args see {@link IpcBenchOptions#USAGE}.
     * @throws Exception if a child cannot be started or fails.
     */
    public static void main(final String[] args) throws Exception
    {
        if (List.of(args).contains("--help"))
        {
            System.out.println(IpcBenchOptions.USAGE);
            return;
        }
        final IpcBenchOptions options;
        try
        {
            options = IpcBenchOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(IpcBenchOptions.USAGE);
            System.exit(64);
            return;
        }
        final List<ScenarioResult> results = run(options, System.out);
        System.exit(allChecked(results) ? 0 : 1);
    }

    /**
     * Run every scenario and print progress, the machine and the Markdown table to {@code out}.
     *
     * @param options the validated options.
     * @param out     where to print.
     * @return every scenario's result.
     * @throws IOException          if a child cannot be started, is not ready in time or fails.
     * @throws InterruptedException if interrupted while waiting for a child.
     */
    static List<ScenarioResult> run(final IpcBenchOptions options, final PrintStream out)
        throws IOException, InterruptedException
    {
        return new IpcBenchMain(options, out).runAll();
    }

    /**
     * @param results scenario results.
     * @return true if every scenario's consumer checked every message and found no error.
     */
    static boolean allChecked(final List<ScenarioResult> results)
    {
        return !results.isEmpty() && results.stream().allMatch(ScenarioResult::isAllChecked);
    }

    private List<ScenarioResult> runAll() throws IOException, InterruptedException
    {
        out.println("## Herz vs Agrona ManyToOneRingBuffer between JVMs, 64-byte messages");
        out.println();
        out.println(MachineInfo.describe());
        out.printf("- settings: runs=%d, throughput messages=%,d, latency rate=%,d msg/s for %.1f s, " +
            "warm-up=%.0f%%, capacity=%,d B, idle=%s, dir=%s%n", options.runs, options.messages, options.rate,
            options.durationSeconds, options.warmupFraction * 100, options.capacity, options.idle, options.directory);
        out.println("- logs: " + logDirectory);
        out.println();

        final List<ScenarioResult> results = new ArrayList<>();
        for (int run = 0; run < options.runs; run++)
        {
            final List<RingPeer> order = new ArrayList<>(options.peers);
            if (run % 2 == 1)
            {
                Collections.reverse(order);
            }
            for (final int producers : options.producerCounts)
            {
                for (final ScenarioResult.Mode mode : ScenarioResult.Mode.values())
                {
                    for (final RingPeer peer : order)
                    {
                        final ScenarioResult result = runScenario(peer, mode, producers, run);
                        out.println("    " + result);
                        results.add(result);
                    }
                }
            }
        }

        out.println();
        out.println(ResultTable.render(results, options.producerCounts, options.peers, options.rate));
        out.println("- load average after: " + MachineInfo.loadAverage());
        final long checked = results.stream().mapToLong(r -> r.received).sum();
        out.printf("- every message checked by the consumer (producer id, per-producer sequence, payload): %s, " +
            "%,d messages in %d scenarios%n", allChecked(results) ? "yes, no errors" : "NO: see the lines above",
            checked, results.size());
        return results;
    }

    private ScenarioResult runScenario(
        final RingPeer peer, final ScenarioResult.Mode mode, final int producers, final int run)
        throws IOException, InterruptedException
    {
        final boolean latency = mode == ScenarioResult.Mode.LATENCY;
        final long perProducer = (latency ? options.latencyMessages() : options.messages) / producers;
        final long warmup = Math.max(1, (long)(perProducer * options.warmupFraction));
        final String label = String.format("run%d-%s-%s-%dp", run + 1, peer.name().toLowerCase(),
            mode.name().toLowerCase(), producers);
        final Path file = options.directory.resolve(label + "-" + ProcessHandle.current().pid() + ".ring");
        Files.deleteIfExists(file);
        // create and initialise the file, then unmap it here: the children map it themselves
        peer.create(file, options.capacity).close();

        final List<ChildProcess> children = new ArrayList<>();
        try
        {
            final List<String> consumerArgs = new ArrayList<>(List.of(
                "--peer", peer.name(), "--file", file.toString(), "--producers", Integer.toString(producers),
                "--messages", Long.toString(perProducer), "--warmup", Long.toString(warmup),
                "--idle", options.idle, "--timeout-ms", Long.toString(options.timeoutMs)));
            if (latency)
            {
                consumerArgs.add("--latency");
            }
            final ChildProcess consumer = ChildProcess.start(
                label + "-consumer", logDirectory, IpcConsumerMain.class, consumerArgs);
            children.add(consumer);
            for (int id = 0; id < producers; id++)
            {
                final long rate = latency ? Math.max(1, options.rate / producers) : 0;
                children.add(ChildProcess.start(label + "-producer-" + id, logDirectory, IpcProducerMain.class,
                    List.of("--peer", peer.name(), "--file", file.toString(), "--id", Integer.toString(id),
                        "--messages", Long.toString(perProducer), "--rate", Long.toString(rate),
                        "--idle", options.idle)));
            }

            final long readyDeadlineNs = System.nanoTime() + READY_TIMEOUT_NS;
            for (final ChildProcess child : children)
            {
                child.awaitReady(readyDeadlineNs);
            }
            for (final ChildProcess child : children)
            {
                child.go();
            }

            final long waitMs = options.timeoutMs + TimeUnit.SECONDS.toMillis(30);
            long backPressured = 0;
            for (int i = 1; i < children.size(); i++)
            {
                backPressured += children.get(i).awaitResult(waitMs).longValue("backPressured");
            }
            return new ScenarioResult(peer, mode, producers, run, consumer.awaitResult(waitMs), backPressured);
        }
        finally
        {
            for (final ChildProcess child : children)
            {
                child.destroyForcibly();
            }
            Files.deleteIfExists(file);
        }
    }
}

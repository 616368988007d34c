package io.herz.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code herz demo}: the main job on embedded defaults. Two synthetic producer JVMs publish Events into a ring, an
 * aggregator JVM computes tumbling one-second windows per key and publishes WindowResults to a second ring, and a
 * sink JVM prints them as CSV. Live progress every second; each stage prints its closing summary (throughput and,
 * for the aggregator, publish-to-update latency percentiles of the steady state). The producers start only once
 * the sink and the aggregator are up (ready files), and the aggregator records latency only after a 2 s warm-up,
 * so the summary shows what a live system shows, not the start-up backlog. The rings live under {@code /dev/shm/herz/demo-PID}
 * and are removed at the end, also on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main job: 2 producer JVMs -> aggregator JVM (tumbling 1s windows) -> sink JVM, live.")
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--events", defaultValue = "2000000",
        description = "Events per producer (default: ${DEFAULT-VALUE}).")
    private long events;

    @Option(names = "--rate", defaultValue = "250k", converter = Converters.Rate.class, paramLabel = "N/s",
        description = "Events per second per producer, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Option(names = "--keys", defaultValue = "4", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--window", defaultValue = "tumbling:1s",
        description = "Window spec for the aggregator (default: ${DEFAULT-VALUE}).")
    private String window;

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "N",
        description = "Partition the events ring by key and run N aggregator JVMs, instance i on partition i, all " +
            "writing into one windows ring (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Ring directory (default: /dev/shm/herz/demo-PID).")
    private Path dir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public Integer call() throws Exception
    {
        if (events < 1 || rate < 0 || keys < 1 || partitions < 1 || partitions > 64)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "demo options out of range: expected " +
                "--events >= 1, --rate >= 0, --keys >= 1, --partitions 1..64, found --events " + events + " --rate " +
                rate + " --keys " + keys + " --partitions " + partitions);
        }
        final Path ringDir = dir != null ? dir : Path.of("/dev/shm/herz", "demo-" + ProcessHandle.current().pid());
        // warm start: the producers publish only once the sink and the aggregator have created their ready files
        // (inputs and outputs open), and the aggregator records latency only after a 2 s warm-up of its own
        final String source = "produce --ring ${events} --synthetic --count " + events + " --rate " + rate +
            " --keys " + keys + " --start-after ${dir}/sink.ready";
        final PipelineSpec pipeline = partitions > 1 ? partitioned(ringDir, source) :
            PipelineSpec.parse("demo", List.of(
            "ring events = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "stage sink = sink --ring ${windows} --producers 1 --ready-file ${dir}/sink.ready",
            "stage aggregate = aggregate --in ${events} --out ${windows} --window " + window +
                " --out-of-orderness 200ms --producers 2 --idle yielding --warmup 2s" +
                " --ready-file ${dir}/aggregate.ready",
            "stage producer-1 = " + source + " --start-after ${dir}/aggregate.ready --producer-id 1",
            "stage producer-2 = " + source + " --start-after ${dir}/aggregate.ready --producer-id 2"), ringDir);
        System.out.printf("[demo] %s", partitions > 1 ? partitions + " partitions, " + partitions +
            " aggregators; " : "");
        System.out.printf("2 producers x %,d events at %s/s each, %d keys, %s windows; rings in %s%n", events,
            rate == 0 ? "max" : String.format("%,d", rate), keys, window, ringDir);
        final int code = PipelineCommand.runWithShutdownHook(pipeline, List.of("-XX:+UseParallelGC"), 1000);
        System.out.println(code == 0 ? "[demo] done: every stage exited 0, rings removed" :
            "[demo] FAILED: a stage exited non-zero (see above)");
        return code;
    }

    /** The demo with the events partitioned by key over parallel aggregators; the launcher sets --producers. */
    private PipelineSpec partitioned(final Path ringDir, final String source)
    {
        final StringBuilder ready = new StringBuilder();
        for (int i = 0; i < partitions; i++)
        {
            ready.append(" --start-after ${dir}/aggregate-").append(i).append(".ready");
        }
        final String partitioning = ready + " --partitions ${events.partitions} --producer-id ";
        return PipelineSpec.parse("demo", List.of(
            "ring events = ${dir}/events.seg partitions=" + partitions,
            "ring windows = ${dir}/windows.seg",
            "stage sink = sink --ring ${windows} --ready-file ${dir}/sink.ready",
            "stage aggregate[" + partitions + "] = aggregate --in ${events} --out ${windows} --window " + window +
                " --out-of-orderness 200ms --idle yielding --stage-id ${instance} --warmup 2s" +
                " --ready-file ${dir}/aggregate-${instance}.ready",
            "stage producer-1 = " + source + partitioning + "1",
            "stage producer-2 = " + source + partitioning + "2"), ringDir);
    }
}

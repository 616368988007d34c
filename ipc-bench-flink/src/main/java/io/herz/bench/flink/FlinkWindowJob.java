package io.herz.bench.flink;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The seed's windowed job on Flink's local MiniCluster, with Herz's rules ({@code herz aggregate}):
 * <ul>
 *     <li>one source per JSON-lines file (as one Herz producer JVM per file), each projecting its lines onto key,
 *     value and event time ({@link JsonProjection}) with its own bounded-out-of-orderness watermark;</li>
 *     <li>the window operator's watermark is the minimum over its inputs (Herz: over producers); Flink's
 *     watermark is {@code max - outOfOrderness - 1} and fires a window at {@code watermark >= end - 1}, Herz's is
 *     {@code max - outOfOrderness} and fires at {@code watermark >= end}: the same event;</li>
 *     <li>allowed lateness as {@code herz aggregate --allowed-lateness}: Flink drops an event for a window once
 *     {@code watermark >= end - 1 + lateness}, Herz once {@code watermark >= end + lateness}: the same again;
 *     a late event within it fires the window again (an update row);</li>
 *     <li>session windows ({@code session:GAP}) are Flink's {@code EventTimeSessionWindows.withGap(GAP)}: an event
 *     opens {@code [t, t + gap)}, merged with every session of its key it overlaps or touches, as Herz's; an event
 *     whose merged session is past {@code end - 1 + lateness} is dropped (Herz: past {@code end + lateness});</li>
 *     <li>count, sum, min, max, mean per key and window, written as Herz's window CSV ({@link CsvRow}) by one
 *     sink.</li>
 * </ul>
 * The job runs on a MiniCluster of its own (one task manager with a slot per parallel task, as Flink's local
 * environment starts it) whose temporary files (io.tmp.dirs: the RPC system's jar Flink unpacks, ~21 MB, blob store,
 * working directories; web.tmpdir) live in a per-run directory under {@code --tmp-dir} (default
 * {@code java.io.tmpdir}), closed and deleted when the job ends, whether it succeeds or fails.
 * <p>
 * Usage: {@code java -cp herz-flink.jar io.herz.bench.flink.FlinkWindowJob --json FILE [--json FILE ...]
 * --window tumbling:1s|sliding:10s,1s|session:5ms --csv OUT [--out-of-orderness 200ms] [--allowed-lateness 0s]
 * [--watermarks periodic|per-event] [--parallelism 2] [--tmp-dir DIR]}. Prints one line: events, the job's runtime
 * and events/s.
 */
public final class FlinkWindowJob
{
    private FlinkWindowJob()
    {
    }

    /**
     * What to run.
     */
    public static final class Options
    {
        final List<Path> files = new ArrayList<>();
        String window;
        Path csv;
        long outOfOrdernessMs = 200;
        long allowedLatenessMs;
        int parallelism = 2;
        boolean perEventWatermarks;
        Path tmpParent = Paths.get(System.getProperty("java.io.tmpdir"));

        /**
         * Read the command line.
         *
         * @param args the arguments.
         * @return the options.
         * @throws IllegalArgumentException naming the option and what was expected.
         */
        public static Options parse(final String... args)
        {
            final Options options = new Options();
            for (int i = 0; i < args.length; i++)
            {
                final String name = args[i];
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("option " + name + " has no value");
                }
                final String value = args[++i];
                switch (name)
                {
                    case "--json":
                        options.files.add(Paths.get(value));
                        break;
                    case "--window":
                        WindowShape.parse(value);
                        options.window = value;
                        break;
                    case "--csv":
                        options.csv = Paths.get(value);
                        break;
                    case "--out-of-orderness":
                        options.outOfOrdernessMs = WindowShape.parseMs(value, "--out-of-orderness");
                        break;
                    case "--allowed-lateness":
                        options.allowedLatenessMs = WindowShape.parseMs(value, "--allowed-lateness");
                        break;
                    case "--watermarks":
                        if (!"periodic".equals(value) && !"per-event".equals(value))
                        {
                            throw new IllegalArgumentException(
                                "--watermarks: expected periodic or per-event, found '" + value + "'");
                        }
                        options.perEventWatermarks = "per-event".equals(value);
                        break;
                    case "--parallelism":
                        options.parallelism = Integer.parseInt(value);
                        if (options.parallelism < 1)
                        {
                            throw new IllegalArgumentException("--parallelism: expected >= 1, found " + value);
                        }
                        break;
                    case "--tmp-dir":
                        options.tmpParent = Paths.get(value);
                        break;
                    default:
                        throw new IllegalArgumentException("option unknown: expected --json, --window, --csv, " +
                            "--out-of-orderness, --allowed-lateness, --watermarks, --parallelism or --tmp-dir, " +
                            "found '" + name + "'");
                }
            }
            if (options.files.isEmpty() || null == options.window || null == options.csv)
            {
                throw new IllegalArgumentException("expected --json FILE (one or more), --window SPEC and --csv FILE");
            }

            return options;
        }
    }

    /**
     * What a run did.
     *
     * @param events     lines projected into events.
     * @param badLines   lines dropped as bad.
     * @param rows       CSV rows written (windows, and updates of windows).
     * @param runtimeMs  the job's net runtime (submission to end, MiniCluster start-up excluded).
     * @param activeMs   from the first line projected to the sink's close after the last row.
     */
    public record Result(long events, long badLines, long rows, long runtimeMs, long activeMs)
    {
        /**
         * @return events per second from the first event to the last row.
         */
        public double activeEventsPerSecond()
        {
            return activeMs > 0 ? events * 1000.0 / activeMs : Double.NaN;
        }

        /**
         * @return events per second of the job's runtime.
         */
        public double eventsPerSecond()
        {
            return runtimeMs > 0 ? events * 1000.0 / runtimeMs : Double.NaN;
        }
    }

    /**
     * Run the job to its end.
     *
     * @param options what to run.
     * @return what it did.
     * @throws Exception if the job fails.
     */
    public static Result run(final Options options) throws Exception
    {
        Files.createDirectories(options.tmpParent);
        final Path runDir = Files.createTempDirectory(options.tmpParent, "herz-flink-");
        final Thread deleteOnKill = new Thread(() -> deleteTree(runDir), "herz-flink-tmp-cleanup");
        Runtime.getRuntime().addShutdownHook(deleteOnKill);
        try
        {
            return run(options, runDir);
        }
        finally
        {
            deleteTree(runDir);
            try
            {
                Runtime.getRuntime().removeShutdownHook(deleteOnKill);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is shutting down: the hook runs (and finds nothing left to delete)
            }
        }
    }

    private static Result run(final Options options, final Path runDir) throws Exception
    {
        final Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.OBJECT_REUSE, true);
        configuration.set(CoreOptions.TMP_DIRS, runDir.toString());
        configuration.set(WebOptions.TMP_DIR, runDir.toString());
        final StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironment(options.parallelism, configuration);

        final long outOfOrdernessMs = options.outOfOrdernessMs;
        final WatermarkStrategy<Event> bounded = options.perEventWatermarks ?
            WatermarkStrategy.forGenerator(context -> new PerEventWatermarks(outOfOrdernessMs)) :
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(outOfOrdernessMs));
        final WatermarkStrategy<Event> watermarks =
            bounded.withTimestampAssigner((event, previous) -> event.timestampMs);
        DataStream<Event> events = null;
        int index = 0;
        for (final Path file : options.files)
        {
            index++;
            final DataStream<Event> fileEvents = env
                .addSource(new JsonLinesSource(file), "json-" + index, Types.STRING).setParallelism(1)
                .flatMap(new JsonProjection()).name("project-" + index).setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks).name("watermarks-" + index).setParallelism(1);
            events = null == events ? fileEvents : events.union(fileEvents);
        }

        final KeyedStream<Event, String> keyed = events.keyBy(event -> event.key, Types.STRING);
        keyed.window(WindowShape.parse(options.window).assigner())
            .allowedLateness(Duration.ofMillis(options.allowedLatenessMs))
            .aggregate(new StatsAggregate(), new CsvRow()).name("windows")
            .addSink(new CsvFileSink(options.csv.toAbsolutePath().toString())).name("csv").setParallelism(1);

        final StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName("herz-seed-job-" + options.window);
        final JobGraph jobGraph = streamGraph.getJobGraph();
        final JobExecutionResult result;
        // the MiniCluster Flink's local environment would start (one task manager, a slot per parallel task, REST on
        // a free port), but closed before returning: env.execute() closes it asynchronously, and a JVM that exits
        // then leaves its temporary files behind
        final Configuration clusterConfiguration = new Configuration(configuration);
        clusterConfiguration.set(RestOptions.BIND_PORT, "0");
        final MiniClusterConfiguration clusterConfig = new MiniClusterConfiguration.Builder()
            .setConfiguration(clusterConfiguration)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(Math.max(1, jobGraph.getMaximumParallelism()))
            .setRpcServiceSharing(RpcServiceSharing.SHARED)
            .build();
        try (MiniCluster cluster = new MiniCluster(clusterConfig))
        {
            cluster.start();
            result = cluster.executeJobBlocking(jobGraph);
        }

        final Long events0 = result.getAccumulatorResult(JsonProjection.EVENTS);
        final Long bad = result.getAccumulatorResult(JsonProjection.BAD_LINES);
        final Long rows = result.getAccumulatorResult(CsvFileSink.ROWS);
        final Long firstMs = result.getAccumulatorResult(JsonProjection.FIRST_EVENT_MS);
        final Long closedMs = result.getAccumulatorResult(CsvFileSink.CLOSED_MS);
        final long activeMs = null == firstMs || null == closedMs || Long.MAX_VALUE == firstMs ? 0 : closedMs - firstMs;

        return new Result(null == events0 ? 0 : events0, null == bad ? 0 : bad, null == rows ? 0 : rows,
            result.getNetRuntime(TimeUnit.MILLISECONDS), activeMs);
    }

    /**
     * Delete a directory and everything under it; what cannot be deleted is reported on stderr, not thrown (the
     * job's outcome matters more than its temporary files).
     *
     * @param root the directory.
     */
    static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    System.err.println("flink-window-job: cannot delete temporary file " + path + ": " + ex);
                }
            });
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            System.err.println("flink-window-job: cannot delete temporary directory " + root + ": " + ex);
        }
    }

    /**
     * Run from the command line and print the figures.
     *
     * @param args see the class comment.
     * @throws Exception if the job fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Options options;
        try
        {
            options = Options.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("flink-window-job: " + ex.getMessage());
            System.exit(2);
            return;
        }
        final Result result = run(options);
        final long jvmMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf(Locale.ROOT,
            "flink %s: %,d events (%d bad lines) from %d files, window %s, parallelism %d -> %,d rows; " +
            "first event to last row %.2f s (%,.0f events/s); job %.2f s (%,.0f events/s); " +
            "JVM with MiniCluster start %.2f s (%,.0f events/s); peak RSS %s%n",
            EnvironmentInformation.getVersion(), result.events(), result.badLines(), options.files.size(),
            options.window, options.parallelism, result.rows(), result.activeMs() / 1000.0,
            result.activeEventsPerSecond(), result.runtimeMs() / 1000.0, result.eventsPerSecond(), jvmMs / 1000.0,
            result.events() * 1000.0 / jvmMs, peakRss());
        System.exit(0); // the MiniCluster is closed and its files deleted; no lingering thread may hold the JVM
    }

    /**
     * @return the JVM's peak resident set (VmHWM of /proc/self/status), or "unknown" where there is none.
     */
    static String peakRss()
    {
        try
        {
            for (final String line : java.nio.file.Files.readAllLines(Paths.get("/proc/self/status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    final String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return (Long.parseLong(kb) / 1024) + " MB";
                }
            }
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }

        return "unknown";
    }

    /**
     * A window spec as {@code herz aggregate --window} reads it, in milliseconds: {@code tumbling:SIZE},
     * {@code sliding:SIZE,SLIDE} or {@code session:GAP} (then {@code sizeMs} is the gap and {@code slideMs} 0).
     */
    record WindowShape(boolean session, long sizeMs, long slideMs)
    {
        static WindowShape parse(final String text)
        {
            final int colon = text.indexOf(':');
            final String kind = colon < 0 ? text : text.substring(0, colon);
            final String arguments = colon < 0 ? "" : text.substring(colon + 1);
            switch (kind)
            {
                case "tumbling":
                {
                    final long sizeMs =
                        positive(parseMs(arguments, "tumbling window size"), "tumbling window size", text);
                    return new WindowShape(false, sizeMs, sizeMs);
                }
                case "sliding":
                {
                    final int comma = arguments.indexOf(',');
                    if (comma < 0)
                    {
                        throw new IllegalArgumentException(
                            "sliding window spec has no slide: expected sliding:SIZE,SLIDE, found '" + text + "'");
                    }
                    return new WindowShape(
                        false,
                        positive(parseMs(arguments.substring(0, comma), "sliding window size"), "sliding window size",
                            text),
                        positive(parseMs(arguments.substring(comma + 1), "sliding window slide"),
                            "sliding window slide", text));
                }
                case "session":
                    return new WindowShape(
                        true, positive(parseMs(arguments, "session window gap"), "session window gap", text), 0);
                default:
                    throw new IllegalArgumentException("window spec: expected tumbling:SIZE, sliding:SIZE,SLIDE " +
                        "or session:GAP, found '" + text + "'");
            }
        }

        private static long positive(final long ms, final String what, final String text)
        {
            if (ms <= 0)
            {
                throw new IllegalArgumentException(what + ": expected a positive duration, found '" + text + "'");
            }

            return ms;
        }

        WindowAssigner<Object, TimeWindow> assigner()
        {
            if (session)
            {
                return EventTimeSessionWindows.withGap(Duration.ofMillis(sizeMs));
            }

            return sizeMs == slideMs ? TumblingEventTimeWindows.of(Duration.ofMillis(sizeMs)) :
                SlidingEventTimeWindows.of(Duration.ofMillis(sizeMs), Duration.ofMillis(slideMs));
        }

        /**
         * A duration with a unit (ms, s, m, h; ns and us when a whole number of milliseconds) in milliseconds.
         */
        static long parseMs(final String text, final String what)
        {
            int split = 0;
            while (split < text.length() && Character.isDigit(text.charAt(split)))
            {
                split++;
            }
            if (0 == split)
            {
                throw new IllegalArgumentException(
                    what + ": expected a duration like 200ms or 1s, found '" + text + "'");
            }
            final long amount = Long.parseLong(text.substring(0, split));
            final long nanosPerUnit;
            switch (text.substring(split))
            {
                case "ns": nanosPerUnit = 1L; break;
                case "us": nanosPerUnit = 1_000L; break;
                case "ms": nanosPerUnit = 1_000_000L; break;
                case "s": nanosPerUnit = 1_000_000_000L; break;
                case "m": nanosPerUnit = 60_000_000_000L; break;
                case "h": nanosPerUnit = 3_600_000_000_000L; break;
                default:
                    throw new IllegalArgumentException(
                        what + ": unit unknown, expected ns, us, ms, s, m or h, found '" + text + "'");
            }
            final long nanos = Math.multiplyExact(amount, nanosPerUnit);
            if (0 != nanos % 1_000_000L)
            {
                throw new IllegalArgumentException(
                    what + ": Flink's windows are in whole milliseconds, found '" + text + "'");
            }

            return nanos / 1_000_000L;
        }
    }
}

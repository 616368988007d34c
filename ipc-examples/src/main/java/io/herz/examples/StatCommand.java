package io.herz.examples;

import io.herz.examples.monitor.HerzMetricsExporter;
import io.herz.examples.monitor.RingView;
import io.herz.examples.monitor.SegmentWatcher;
import io.herz.examples.monitor.StatJson;
import io.herz.ipc.segment.SegmentConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code herz stat}: a live view of every segment's shared counters, read without disturbing the processes; as
 * text, as one JSON document per interval ({@code --json}), or served to Prometheus ({@code --prometheus}).
 * Directories are watched: segments that appear are shown, those that disappear are dropped.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show live counters of ring segments: consumer and producer positions and rates, lag, " +
        "back-pressure, unblocked records, the stages' named counters. Reads shared memory only.")
public final class StatCommand implements Callable<Integer>
{
    private static final long SLEEP_STEP_NS = 100_000_000L;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH",
        description = "Segment files, or directories whose *.seg files (and their subdirectories' *.seg files) " +
            "are watched as they come and go (default: /dev/shm/herz).")
    private List<Path> paths;

    @Option(names = "--once", description = "Print one snapshot and exit; exit code 1 if a PATH cannot be read.")
    private boolean once;

    @Option(names = "--interval", defaultValue = "1s", converter = Converters.DurationNs.class,
        description = "Refresh interval (default: ${DEFAULT-VALUE}).")
    private long intervalNs;

    @Option(names = "--count", defaultValue = "0",
        description = "Stop after this many refreshes; 0 runs until interrupted.")
    private long count;

    @Option(names = "--json", description = "Print one JSON document per refresh (one line each) instead of text.")
    private boolean json;

    @Option(names = "--prometheus", paramLabel = "[HOST]:PORT", converter = ListenAddressConverter.class,
        description = "Serve the metrics in the Prometheus/OpenMetrics text format on http://HOST:PORT/metrics " +
            "(:PORT for every interface, :0 for any free port). Prints nothing else unless --json is given.")
    private ListenAddress prometheus;

    /**
     * Where {@code --prometheus} listens.
     *
     * @param host interface name or address, empty for every interface.
     * @param port TCP port, 0 for any free one.
     */
    record ListenAddress(String host, int port)
    {
    }

    /** Parses {@code :PORT}, {@code HOST:PORT} and {@code [IPv6]:PORT}. */
    static final class ListenAddressConverter implements CommandLine.ITypeConverter<ListenAddress>
    {
        public ListenAddress convert(final String value)
        {
            final int colon = value.lastIndexOf(':');
            String host = colon < 0 ? "" : value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]"))
            {
                host = host.substring(1, host.length() - 1);
            }
            try
            {
                final int port = Integer.parseInt(value.substring(colon + 1));
                if (colon >= 0 && port >= 0 && port <= 65535)
                {
                    return new ListenAddress(host, port);
                }
            }
            catch (final NumberFormatException ignore)
            {
                // reported below
            }
            throw new CommandLine.TypeConversionException("listen address not understood: expected :PORT or " +
                "HOST:PORT with PORT 0..65535, e.g. :9464 or 127.0.0.1:9464, found '" + value + "'");
        }
    }

    public Integer call() throws InterruptedException
    {
        if (once && prometheus != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--once cannot be combined with --prometheus: a scrape needs a running server (use --json --once " +
                    "for a single snapshot)");
        }
        // No PATH: the default directory, which does not exist until a ring is created there; then it holds no rings
        // (an Aeron-only user's `herz --aeron-dir D stat --once` exited 1 on a machine that never made one).
        final boolean defaultRoot = paths == null || paths.isEmpty();
        final List<Path> roots = defaultRoot ? List.of(SegmentConfig.DEFAULT_DIRECTORY) : paths;
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try (SegmentWatcher watcher = new SegmentWatcher(roots, defaultRoot);
            HerzMetricsExporter exporter = prometheus == null ? null :
                HerzMetricsExporter.serve(watcher, prometheus.host(), prometheus.port()))
        {
            if (exporter != null)
            {
                out.println("herz stat: serving Prometheus metrics on http://" +
                    (prometheus.host().isEmpty() ? "0.0.0.0" : prometheus.host()) + ":" + exporter.port() +
                    "/metrics for " + watcher.roots());
                out.flush();
            }
            final Shutdown shutdown = once ? null : Shutdown.instance(); // --once never waits for a signal
            final boolean print = json || exporter == null;
            final boolean clear = print && !json && !once && System.console() != null;
            Map<String, RingView> previous = new HashMap<>();
            Map<Path, String> reported = Map.of();
            for (long n = 0; once ? n < 1 : count == 0 || n < count; n++)
            {
                if (n > 0 && !sleep(intervalNs, shutdown))
                {
                    break;
                }
                final SegmentWatcher.Sample sample = watcher.sample();
                if (print)
                {
                    out.print(render(sample, previous, clear, watcher.roots()));
                    out.flush();
                }
                for (final Map.Entry<Path, String> problem : sample.problems().entrySet())
                {
                    if (!problem.getValue().equals(reported.get(problem.getKey())))
                    {
                        err.println("herz stat: " + problem.getKey() + ": " + problem.getValue());
                        err.flush();
                    }
                }
                reported = sample.problems();
                final Map<String, RingView> next = new HashMap<>();
                sample.rings().forEach(ring -> next.put(ring.path(), ring));
                previous = next;
                if (once && !sample.problems().isEmpty())
                {
                    return 1;
                }
            }
            return 0;
        }
    }

    private String render(final SegmentWatcher.Sample sample, final Map<String, RingView> previous,
        final boolean clear, final List<Path> roots)
    {
        if (json)
        {
            return StatJson.render(sample, previous) + System.lineSeparator();
        }
        final StringBuilder sb = new StringBuilder();
        if (clear)
        {
            sb.append("\033[H\033[2J");
        }
        for (final RingView ring : sample.rings())
        {
            StatFormat.append(sb, ring, previous.get(ring.path()));
        }
        final List<String> aeron = io.herz.aeron.AeronStat.renderAll(true); // --aeron-dir's driver, else running ones
        if (sample.rings().isEmpty() && aeron.isEmpty())
        {
            sb.append("no readable segments in ").append(roots).append(" and no running Aeron driver (herz ls shows " +
                "what is there)\n");
        }
        aeron.forEach(line -> sb.append(line).append(System.lineSeparator()));
        return sb.toString();
    }

    private static boolean sleep(final long ns, final Shutdown shutdown) throws InterruptedException
    {
        final long deadline = System.nanoTime() + ns;
        long left;
        while ((left = deadline - System.nanoTime()) > 0)
        {
            if (shutdown.isRequested())
            {
                return false;
            }
            final long step = Math.min(left, SLEEP_STEP_NS);
            Thread.sleep(step / 1_000_000, (int)(step % 1_000_000));
        }
        return !shutdown.isRequested();
    }
}

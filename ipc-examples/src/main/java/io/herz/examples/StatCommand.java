package io.herz.examples;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.status.SegmentStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code herz stat}: a live view of every segment's shared counters, read without disturbing the processes.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show live counters of ring segments: producer and consumer rates, lag, back-pressure, unblocked " +
        "records, named counters.")
public final class StatCommand implements Callable<Integer>
{
    @Parameters(arity = "0..*", paramLabel = "PATH",
        description = "Segment files to watch; Aeron streams of --aeron-dir or of running drivers under /dev/shm/herz " +
            "are shown too.")
    private List<Path> paths;

    @Option(names = "--once", description = "Print one snapshot and exit.")
    private boolean once;

    @Option(names = "--interval", defaultValue = "1s", converter = Converters.DurationNs.class,
        description = "Refresh interval (default: ${DEFAULT-VALUE}).")
    private long intervalNs;

    @Option(names = "--count", defaultValue = "0",
        description = "Stop after this many refreshes; 0 runs until interrupted.")
    private long count;

    public Integer call() throws InterruptedException
    {
        final PrintStream out = System.out;
        paths = null == paths ? List.of() : paths;
        final boolean scanAeron = paths.isEmpty(); // without paths or --aeron-dir: the drivers under /dev/shm/herz
        if (paths.isEmpty() && io.herz.aeron.AeronStat.renderAll(true).isEmpty())
        {
            throw new IllegalArgumentException("nothing to show: expected segment paths, --aeron-dir DIR or a " +
                "running Aeron driver under " + io.herz.aeron.AeronDriverConfig.baseDir());
        }
        final Segment[] segments = new Segment[paths.size()];
        try
        {
            for (int i = 0; i < segments.length; i++)
            {
                segments[i] = Segment.openReadOnly(paths.get(i));
            }
            final Map<String, SegmentStatus> previous = new HashMap<>();
            final boolean clear = !once && System.console() != null;
            for (long n = 0; once ? n < 1 : count == 0 || n < count; n++)
            {
                if (n > 0)
                {
                    Thread.sleep(intervalNs / 1_000_000, (int)(intervalNs % 1_000_000));
                }
                final StringBuilder sb = new StringBuilder();
                if (clear)
                {
                    sb.append("\033[H\033[2J");
                }
                for (final Segment segment : segments)
                {
                    final SegmentStatus now = SegmentStatus.capture(segment);
                    StatFormat.append(sb, now, previous.get(now.path()));
                    previous.put(now.path(), now);
                }
                io.herz.aeron.AeronStat.renderAll(scanAeron).forEach(line -> sb.append(line).append(System.lineSeparator()));
                out.print(sb);
                out.flush();
            }
            return 0;
        }
        finally
        {
            for (final Segment segment : segments)
            {
                if (segment != null)
                {
                    segment.close();
                }
            }
        }
    }
}

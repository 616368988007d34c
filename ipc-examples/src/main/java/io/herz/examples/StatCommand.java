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
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Segment files to watch.")
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

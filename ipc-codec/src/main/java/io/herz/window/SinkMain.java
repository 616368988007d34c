package io.herz.window;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A sink for window results as a process (until the {@code herz} CLI hosts it):
 * <pre>
 * SinkMain --in RING [--csv FILE] [--producers N] [--capacity 16m]
 * </pre>
 * It consumes {@code --in} (creating it if missing) and writes every WindowResult as a CSV row in the order received
 * ({@link WindowCsv}) to {@code --csv} or stdout, until {@code --producers} EndOfStream messages (default 1: the
 * aggregator's) have arrived; then it flushes and exits 0. A usage error exits 2; SIGINT or SIGTERM stops it after
 * flushing what it has.
 */
public final class SinkMain implements EventHandler
{
    static final String USAGE = "usage: SinkMain --in RING [--csv FILE] [--producers N] [--capacity BYTES]";

    private static final List<String> OPTIONS = List.of("--in", "--csv", "--producers", "--capacity");

    private final Writer writer;
    private final Path csvPath;
    private final StringBuilder row = new StringBuilder(256);
    private int endOfStreamCount;
    private long resultCount;

    private SinkMain(final Writer writer, final Path csvPath)
    {
        this.writer = writer;
        this.csvPath = csvPath;
    }

    /**
     * Run the sink and exit with its code.
     *
     * @param args the options above.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the sink.
     *
     * @param args the options above.
     * @return 0 after end of stream, 2 on a usage error, 130 when stopped by SIGINT.
     */
    public static int run(final String[] args)
    {
        final Path in;
        final Path csv;
        final int producers;
        final SegmentConfig segmentConfig;
        try
        {
            final StageArgs options = new StageArgs(args, OPTIONS);
            in = options.path("--in");
            csv = options.has("--csv") ? options.path("--csv") : null;
            producers = options.nonNegativeInt("--producers", 1);
            if (0 == producers)
            {
                throw new IllegalArgumentException("--producers is zero: expected at least 1, found 0");
            }
            segmentConfig = new SegmentConfig()
                .capacity(options.sizeBytes("--capacity", SegmentConfig.DEFAULT_CAPACITY));
            segmentConfig.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(USAGE);
            return 2;
        }

        final StageShutdown shutdown = new StageShutdown();
        try (Writer writer = null == csv ?
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16) :
            Files.newBufferedWriter(csv, StandardCharsets.US_ASCII);
            Segment segment = Segment.openOrCreate(in, segmentConfig);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final SinkMain sink = new SinkMain(writer, csv);
            writer.write(WindowCsv.HEADER);
            writer.write('\n');
            final EventDispatcher dispatcher = new EventDispatcher(sink);
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (sink.endOfStreamCount < producers && !shutdown.isRequested())
            {
                idle.idle(consumer.read(dispatcher, 4096));
            }
            writer.flush();

            System.err.println("sink: " + sink.resultCount + " results, " + sink.endOfStreamCount + " of " +
                producers + " ends of stream, rejected=" + dispatcher.rejectedCount() +
                (shutdown.isRequested() ? " (stopped by signal)" : ""));
            if (dispatcher.rejectedCount() > 0)
            {
                System.err.println(dispatcher.report());
            }
            return shutdown.isRequested() ? 130 : 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("sink cannot write csv: file=" + (null == csv ? "stdout" : csv), ex);
        }
        finally
        {
            shutdown.done();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onWindowResult(final WindowResultDecoder decoder)
    {
        row.setLength(0);
        WindowCsv.appendRow(
            row,
            decoder.windowStartNs(),
            decoder.windowEndNs(),
            decoder.buffer(),
            decoder.offset() + WindowResultDecoder.keyEncodingOffset(),
            decoder.keySize(),
            decoder.count(),
            decoder.sum(),
            decoder.min(),
            decoder.max(),
            decoder.mean()).append('\n');
        try
        {
            writer.append(row);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(
                "sink cannot write csv: file=" + (null == csvPath ? "stdout" : csvPath), ex);
        }
        resultCount++;
    }

    /**
     * {@inheritDoc}
     */
    public void onEndOfStream(final EndOfStreamDecoder decoder)
    {
        endOfStreamCount++;
    }
}

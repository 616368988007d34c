package io.herz.examples;

import io.herz.codec.EventDispatcher;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.window.CsvRowWriter;
import io.herz.window.WindowCsv;
import io.herz.window.stage.WindowCsvSink;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code herz sink}: the consumer of a WindowResult ring (creating it if missing); writes each result as a CSV row
 * in the order received, to a file or stdout, until {@code --producers} EndOfStream messages have arrived.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
    description = "Write WindowResults from a ring as CSV (" + WindowCsv.HEADER + ") to a file or stdout.")
public final class SinkCommand implements Callable<Integer>
{
    @Option(names = "--timeline", defaultValue = "0s", converter = Converters.DurationNs.class,
        paramLabel = "INTERVAL",
        description = "Print a rate timeline line every INTERVAL (results, main thread CPU, JIT, GC), e.g. 100ms; " +
            "0 for none (default: ${DEFAULT-VALUE}).")
    private long timelineNs;

    @Option(names = "--ring", required = true, paramLabel = "URI",
        description = "Stream of WindowResults to consume: a ring path (or shm:PATH), aeron:udp?endpoint=HOST:PORT or " +
            "aeron:ipc. Repeat to merge several streams; --producers counts ends of stream over all of them.")
    private java.util.List<String> rings;

    @Option(names = "--consumer-name", defaultValue = SubscriptionOptions.DEFAULT_CONSUMER_NAME, paramLabel = "NAME",
        description = "Name this sink consumes under (fan-out: one name per reading stage; default: " +
            "${DEFAULT-VALUE}).")
    private String consumerName;

    @Option(names = "--csv", paramLabel = "FILE", description = "CSV file to write; stdout when absent.")
    private Path csv;

    @Option(names = "--producers", defaultValue = "1",
        description = "EndOfStream messages that end the input (default: ${DEFAULT-VALUE}).")
    private int producers;

    @Option(names = "--capacity", defaultValue = "16m", converter = Converters.Size.class,
        description = "Data capacity when creating the ring (default: ${DEFAULT-VALUE}).")
    private long capacity;

    @Option(names = "--idle", defaultValue = "backoff", converter = Converters.Idle.class,
        description = "Idle strategy when there is no input: busy-spin, yielding, backoff, backoff-fast, sleeping " +
            "(default: ${DEFAULT-VALUE}).")
    private String idleName;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--ready-file", paramLabel = "FILE",
        description = "Create FILE once the input is open (deleted at exit); see produce --start-after.")
    private Path readyFile;

    private StartGate ready;

    public Integer call() throws IOException
    {
        if (producers < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--producers out of range: expected at least 1, found " + producers);
        }
        final SegmentConfig config = Converters.segmentConfig(spec, capacity);
        final Shutdown shutdown = Shutdown.instance();
        try (OutputStream out = csv == null ? System.out : Files.newOutputStream(csv);
            Inputs consumer = new Inputs(rings, Converters.subscriptionOptions(spec, consumerName, config)))
        {
            // rows formatted into one reusable buffer, written in bulk (no allocation per row)
            final CsvRowWriter writer =
                new CsvRowWriter(out, csv == null ? "stdout" : csv.toAbsolutePath().toString(), 1 << 16);
            writer.header();
            ready = StartGate.signal(readyFile);
            final WindowCsvSink sink = new WindowCsvSink(writer);
            final EventDispatcher dispatcher = new EventDispatcher(sink);
            final IdleStrategy idle = io.herz.ipc.idle.IdleStrategies.of(idleName);
            final Timeline timeline = timelineNs <= 0 ? null : new Timeline(System.err, timelineNs,
                new String[]{ "results" }, new java.util.function.LongSupplier[]{ sink::resultCount },
                System.nanoTime());
            while (sink.endOfStreamCount() < producers && !shutdown.isRequested())
            {
                final int read = consumer.poll(dispatcher, 4096);
                if (read > 0 && csv == null)
                {
                    writer.flush(); // a console sink shows results as they come
                }
                if (null != timeline)
                {
                    timeline.maybePrint(System.nanoTime());
                }
                idle.idle(read);
            }
            if (null != timeline)
            {
                timeline.print(System.nanoTime());
            }
            while (consumer.poll(dispatcher, 4096) > 0)
            {
                idle.reset(); // drain what is committed after a stop request
            }
            writer.flush();
            ready.close();
            System.err.printf("sink: %,d results, %d of %d ends of stream, peak RSS %s%s%n", sink.resultCount(),
                sink.endOfStreamCount(), producers,
                ProcessStats.peakRss(), shutdown.isRequested() ? " (stopped by signal)" : "");
            System.err.println(MemoryReport.line());
            System.err.println(CpuReport.line());
            if (dispatcher.rejectedCount() > 0)
            {
                System.err.println(dispatcher.report());
            }
            return 0;
        }
    }
}

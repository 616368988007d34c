package io.herz.bench.window;

import io.herz.codec.EventDispatcher;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WindowKind;
import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import io.herz.window.CsvRowWriter;
import io.herz.window.stage.WindowCsvSink;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Result rows per second through the whole results path on one thread, one process: the aggregation stage's
 * emission (each WindowResult encoded once, in place, into a claim of a real mapped {@code shm:} ring through the
 * {@link Transports} seam, in batch claims of {@code batchBytes} as {@code herz aggregate} publishes them, flushed at
 * the end of the batch as the stage flushes at the end of a duty cycle), then the sink's work as {@code herz sink}
 * does it: a poll of the subscription in batches of 4096 through an {@link EventDispatcher} into a
 * {@link WindowCsvSink} (decode in place, {@link CsvRowWriter} formats the row). {@code output} {@code NULL}: the CSV
 * bytes go to a stream that discards them; {@code FILE}: to a file in a temporary directory through a
 * {@link FileChannel} (rewound to its start every 64 MiB so the file stays small), as a sink writing a file does.
 * <p>
 * The results are those of the seed's sparse job (10k keys, about one result per event): keys
 * {@code sensor-NNNNN}, counts 1..3, values with two decimals, so the sums, minima and maxima have few digits and
 * the means up to 17. One invocation publishes and drains {@value #ROWS} results; one operation is one row.
 * {@code -prof gc}: 0 B/op expected.
 * <p>
 * Run: {@code java -jar ipc-bench/target/benchmarks.jar ResultsPathBenchmark -prof gc}.
 */
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE,
    "-Dagrona.disable.bounds.checks=true",
    "-Dsbe.enable.precedence.checks=false" })
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResultsPathBenchmark
{
    /** Results per invocation. */
    public static final int ROWS = 1024;
    private static final int SETS = 64;
    private static final long WINDOW_NS = 1_000_000_000L;
    private static final int READ_LIMIT = 4096;

    /** Where the CSV bytes go. */
    @Param({ "NULL", "FILE" })
    public String output;

    /** Bytes per batch claim of the emitting publication ({@code herz aggregate} uses 1024); 0: one per result. */
    @Param({ "1024" })
    public int batchBytes;

    private final long[] startNs = new long[ROWS * SETS];
    private final long[] counts = new long[ROWS * SETS];
    private final double[] sums = new double[ROWS * SETS];
    private final double[] mins = new double[ROWS * SETS];
    private final double[] maxs = new double[ROWS * SETS];
    private final int[] keyOffsets = new int[ROWS * SETS];
    private final UnsafeBuffer keys = new UnsafeBuffer(new byte[ROWS * SETS * 16]);
    private Path dir;
    private Publication publication;
    private EventPublisher publisher;
    private Subscription subscription;
    private EventDispatcher dispatcher;
    private WindowCsvSink sink;
    private CsvRowWriter writer;
    private FileChannel channel;
    private Path csvDir;
    private int set;

    /**
     * Make the results, map the ring under /dev/shm, open the CSV output.
     *
     * @throws IOException if the directory or file cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < ROWS * SETS; i++)
        {
            final int count = 1 + random.nextInt(3);
            double sum = 0;
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int k = 0; k < count; k++)
            {
                final double value = random.nextInt(100_000) / 100.0;
                sum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            startNs[i] = 1_700_000_000_000_000_000L + (i / 10_000) * WINDOW_NS;
            counts[i] = count;
            sums[i] = sum;
            mins[i] = min;
            maxs[i] = max;
            keyOffsets[i] = i * 16;
            keys.putStringWithoutLengthAscii(i * 16, String.format("sensor-%05d", random.nextInt(10_000)));
        }
        final Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "herz-bench-results") :
            Files.createTempDirectory("herz-bench-results");
        final String ring = "shm:" + dir.resolve("results.seg");
        final SegmentConfig config = new SegmentConfig().capacity(4 * 1024 * 1024);
        subscription = Transports.subscription(ring, new SubscriptionOptions().segmentConfig(config));
        publication = Transports.publication(ring, new PublicationOptions().producerId(2).batchBytes(batchBytes));
        publisher = new EventPublisher(publication, 2);
        final OutputStream out;
        if ("FILE".equals(output))
        {
            csvDir = Files.createTempDirectory("herz-bench-results");
            final Path csv = csvDir.resolve("results.csv");
            channel = FileChannel.open(csv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out = new RewindingChannelStream(channel, csv.toString());
        }
        else
        {
            out = OutputStream.nullOutputStream();
        }
        writer = new CsvRowWriter(out, "results.csv", 1 << 16);
        writer.header();
        sink = new WindowCsvSink(writer);
        dispatcher = new EventDispatcher(sink);
    }

    /**
     * Close and delete the ring and the CSV file.
     *
     * @throws IOException if a file cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        writer.flush();
        CloseHelper.closeAll(publication, subscription, channel);
        Files.deleteIfExists(dir.resolve("results.seg"));
        Files.deleteIfExists(dir);
        if (null != csvDir)
        {
            Files.deleteIfExists(csvDir.resolve("results.csv"));
            Files.deleteIfExists(csvDir);
        }
        if (dispatcher.rejectedCount() != 0)
        {
            throw new IllegalStateException("dispatcher rejected records: " + dispatcher.report());
        }
    }

    /**
     * Emit {@value #ROWS} results as the stage does, then drain them into CSV rows as the sink does.
     *
     * @return rows written so far, to be sunk by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long emitAndWrite()
    {
        final int base = set * ROWS;
        set = set + 1 == SETS ? 0 : set + 1;
        final EventPublisher publisher = this.publisher;
        for (int i = base; i < base + ROWS; i++)
        {
            final long start = startNs[i];
            final long count = counts[i];
            final double sum = sums[i];
            if (publisher.publishWindowResult(start, start + WINDOW_NS, keys, keyOffsets[i], 11, count, sum, mins[i],
                maxs[i], sum / count, WindowKind.TUMBLING, ResultKind.FINAL) < 0)
            {
                throw new IllegalStateException("results ring back-pressured although drained every invocation");
            }
        }
        publisher.flush();
        final long expected = sink.resultCount() + ROWS;
        int polls = 0;
        while (sink.resultCount() < expected)
        {
            // a poll stops at the padding at the end of the data area: the rest comes with the next one
            subscription.poll(dispatcher, READ_LIMIT);
            if (++polls > 4)
            {
                throw new IllegalStateException("sink read: expected " + expected + " results, found " +
                    sink.resultCount());
            }
        }
        return writer.rowCount();
    }

    /**
     * A file written through its channel from the start, rewound every 64 MiB so a long run needs no disk.
     */
    static final class RewindingChannelStream extends OutputStream
    {
        private static final long REWIND_BYTES = 64L << 20;
        private final FileChannel channel;
        private final String name;
        private byte[] wrapped;
        private ByteBuffer wrapper;

        RewindingChannelStream(final FileChannel channel, final String name)
        {
            this.channel = channel;
            this.name = name;
        }

        public void write(final int b)
        {
            write(new byte[]{ (byte)b }, 0, 1);
        }

        public void write(final byte[] b, final int off, final int len)
        {
            try
            {
                if (channel.position() >= REWIND_BYTES)
                {
                    channel.position(0);
                }
                if (b != wrapped)
                {
                    wrapped = b;
                    wrapper = ByteBuffer.wrap(b);
                }
                final ByteBuffer src = wrapper.limit(off + len).position(off);
                while (src.hasRemaining())
                {
                    channel.write(src);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write csv: file=" + name, ex);
            }
        }
    }
}

package io.herz.bench.window;

import io.herz.codec.EventPublisher;
import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import io.herz.window.AggregatorConfig;
import io.herz.window.WindowSpec;
import io.herz.window.stage.WindowStage;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemNanoClock;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost per event of the aggregation stage ({@link WindowStage}) between two {@code shm:} rings on one thread, its
 * output publication claiming each WindowResult on its own ({@code outputBatchBytes=0}) or in batches
 * ({@code PublicationOptions.batchBytes}, flushed by the stage at the end of each duty cycle). One invocation
 * publishes {@value #EVENTS} events into the input ring, runs a duty cycle ({@link WindowStage#doWork()}; two when
 * the input ring wraps) and drains
 * the output ring undecoded; so the score is input publish + dispatch + windowing + output publish + drain, per event.
 * Events are 100 ns of event time apart, keys cycle over {@value #KEYS}: {@code tumbling:10us} closes about one
 * window per event (the output side dominates), {@code tumbling:1ms} about one per ten events. {@code -prof gc}:
 * 0 B/op expected.
 * <p>
 * Run: {@code java -jar ipc-bench/target/benchmarks.jar WindowStageBenchmark -prof gc}.
 */
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE,
    "-Dagrona.disable.bounds.checks=true",
    "-Dsbe.enable.precedence.checks=false" })
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WindowStageBenchmark
{
    /** Events per invocation. */
    public static final int EVENTS = 256;
    /** Distinct keys. */
    public static final int KEYS = 1000;
    private static final long EVENT_SPACING_NS = 100;

    /** The windows, as {@link WindowSpec#parse(String)} reads them. */
    @Param({ "tumbling:10us", "tumbling:1ms" })
    public String window;

    /** Bytes per batch claim of the stage's output publication; 0 for one claim per result. */
    @Param({ "0", "1024", "4096" })
    public int outputBatchBytes;

    private final String[] keys = new String[KEYS];
    private Path dir;
    private Subscription input;
    private Publication source;
    private EventPublisher sourcePublisher;
    private Publication output;
    private Subscription outputReader;
    private WindowStage stage;
    private final MessageHandler noop = (typeId, buffer, index, length) -> { };
    private long eventTimeNs;
    private int keyCursor;

    /**
     * Map both rings under /dev/shm and wire the stage.
     *
     * @throws IOException if the directory cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = "sensor-" + i;
        }
        final Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "herz-bench") :
            Files.createTempDirectory("herz-bench");
        final SegmentConfig config = new SegmentConfig().capacity(1024 * 1024);
        final String in = "shm:" + dir.resolve("in.seg");
        final String out = "shm:" + dir.resolve("out.seg");
        input = Transports.subscription(in, new SubscriptionOptions().segmentConfig(config));
        source = Transports.publication(in, new PublicationOptions().producerId(1));
        sourcePublisher = new EventPublisher(source, 1);
        outputReader = Transports.subscription(out, new SubscriptionOptions().segmentConfig(config));
        output = Transports.publication(out, new PublicationOptions().producerId(2).batchBytes(outputBatchBytes));
        stage = new WindowStage(input, new EventPublisher(output, 2), null,
            new AggregatorConfig().window(WindowSpec.parse(window)).producerCount(1).conclude(),
            new BusySpinIdleStrategy(), new SystemNanoClock());
    }

    /**
     * Close and delete both rings.
     *
     * @throws IOException if the files cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        CloseHelper.closeAll(source, output, input, outputReader);
        Files.deleteIfExists(dir.resolve("in.seg"));
        Files.deleteIfExists(dir.resolve("out.seg"));
        Files.deleteIfExists(dir);
    }

    /**
     * Publish {@value #EVENTS} events, run the stage's duty cycle until it has read them, drain its output.
     *
     * @return results drained, to be sunk by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int stageCycle()
    {
        final String[] keys = this.keys;
        for (int i = 0; i < EVENTS; i++)
        {
            if (sourcePublisher.publishEvent(eventTimeNs, keys[keyCursor], i) < 0)
            {
                throw new IllegalStateException("input ring back-pressured although drained every invocation");
            }
            eventTimeNs += EVENT_SPACING_NS;
            keyCursor = keyCursor + 1 == KEYS ? 0 : keyCursor + 1;
        }
        int work = 0;
        int cycles = 0;
        while (work < EVENTS)
        {
            // a poll stops at the padding at the end of the data area: the rest comes with the next duty cycle
            work += stage.doWork();
            if (++cycles > 3)
            {
                throw new IllegalStateException("stage read: expected " + EVENTS + " records, found " + work);
            }
        }
        int drained = 0;
        int read;
        int emptyPolls = 0;
        while ((read = outputReader.poll(noop, Integer.MAX_VALUE)) > 0 || ++emptyPolls < 2)
        {
            drained += read;
        }
        return drained;
    }
}

package io.herz.bench.window;

import io.herz.ipc.process.JvmLauncher;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.herz.window.AggregatorConfig;
import io.herz.window.WindowAggregator;
import io.herz.window.WindowOutput;
import io.herz.window.WindowSpec;
import org.agrona.DirectBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through {@link WindowAggregator} on one thread, the way the aggregation stage drives it: the
 * key arrives as bytes and is interned on every event, the producer id and a processing time come with it, and
 * results go to an output that only counts them. The stream is pre-generated ({@value #EVENT_COUNT} events, then
 * repeated shifted in time so windows keep closing): four producers round-robin, one event per 100 ns of event
 * time, event times jittered back by up to 50 us (within the 100 us out-of-orderness), keys drawn uniformly from
 * {@code keyCount} 16-byte keys. Windows: {@code tumbling:10ms} (one window per event),
 * {@code sliding:10ms,1ms} (ten windows per event, one pane update: see {@code SlicedWindows}) or
 * {@code session:5ms} (with 1k keys every key's session stays open; with 1M keys nearly every event is a session of
 * its own). One operation is one event
 * ({@link OperationsPerInvocation}), so the score is events/s; {@code -prof gc} gives bytes per event
 * ({@code gc.alloc.rate.norm}), which must be 0. There is no peer in the same process to compare with: no
 * embeddable windowing library of the same kind is on the classpath.
 * <p>
 * Run: {@code java -jar ipc-bench/target/benchmarks.jar WindowAggregatorBenchmark -prof gc}.
 */
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE,
    "-Dagrona.disable.bounds.checks=true",
    "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WindowAggregatorBenchmark
{
    static final int EVENT_COUNT = 1 << 20;
    static final int BATCH = 1024;
    static final int KEY_LENGTH = 16;
    static final int PRODUCER_COUNT = 4;
    static final long EVENT_SPACING_NS = 100;
    static final long JITTER_NS = 50_000;
    static final long CYCLE_NS = EVENT_COUNT * EVENT_SPACING_NS;

    /**
     * Distinct keys in the stream.
     */
    @Param({ "1000", "10000", "1000000" })
    public int keyCount;

    /**
     * The windows, as {@link WindowSpec#parse(String)} reads them.
     */
    @Param({ "tumbling:10ms", "sliding:10ms,1ms", "session:5ms" })
    public String window;

    private final int[] keyIndexes = new int[EVENT_COUNT];
    private final long[] eventTimesNs = new long[EVENT_COUNT];
    private final double[] values = new double[EVENT_COUNT];
    private UnsafeBuffer keys;
    private WindowAggregator aggregator;
    private CountingOutput output;
    private int cursor;
    private long cycleOffsetNs;
    private long nowNs;

    /**
     * Build the stream and run it twice through the engine, so every key is interned and every pool, map and heap
     * has reached its high-water mark before measuring.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        keys = new UnsafeBuffer(new byte[keyCount * KEY_LENGTH]);
        for (int k = 0; k < keyCount; k++)
        {
            keys.putStringWithoutLengthAscii(k * KEY_LENGTH, String.format("sensor-%09d", k));
        }

        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < EVENT_COUNT; i++)
        {
            keyIndexes[i] = random.nextInt(keyCount);
            eventTimesNs[i] = i * EVENT_SPACING_NS - random.nextLong(JITTER_NS);
            values[i] = random.nextInt(10_000) / 100.0;
        }

        output = new CountingOutput();
        aggregator = new WindowAggregator(
            new AggregatorConfig()
                .window(WindowSpec.parse(window))
                .outOfOrdernessNs(2 * JITTER_NS)
                .allowedLatenessNs(0)
                .idleTimeoutNs(AggregatorConfig.NO_IDLE_TIMEOUT),
            output);
        for (int i = 0; i < 2 * EVENT_COUNT / BATCH; i++)
        {
            processBatch();
        }
    }

    /**
     * Process {@value #BATCH} events.
     *
     * @return the results emitted so far, so the work cannot be eliminated.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long events()
    {
        processBatch();
        return output.resultCount;
    }

    private void processBatch()
    {
        final WindowAggregator aggregator = this.aggregator;
        final UnsafeBuffer keys = this.keys;
        final int[] keyIndexes = this.keyIndexes;
        final long[] eventTimesNs = this.eventTimesNs;
        final double[] values = this.values;
        final long cycleOffsetNs = this.cycleOffsetNs;
        final int start = cursor;
        long nowNs = this.nowNs;
        for (int i = start, end = start + BATCH; i < end; i++)
        {
            aggregator.onEvent(
                i & (PRODUCER_COUNT - 1),
                cycleOffsetNs + eventTimesNs[i],
                keys,
                keyIndexes[i] * KEY_LENGTH,
                KEY_LENGTH,
                values[i],
                nowNs++);
        }
        this.nowNs = nowNs;

        final int next = start + BATCH;
        if (next == EVENT_COUNT)
        {
            cursor = 0;
            this.cycleOffsetNs = cycleOffsetNs + CYCLE_NS;
        }
        else
        {
            cursor = next;
        }
    }

    static final class CountingOutput implements WindowOutput
    {
        long resultCount;
        double checksum;

        public void onWindow(
            final long startNs,
            final long endNs,
            final int keyId,
            final DirectBuffer keyBuffer,
            final int keyOffset,
            final int keyLength,
            final long count,
            final double sum,
            final double min,
            final double max,
            final double mean,
            final boolean isUpdate)
        {
            resultCount++;
            checksum += mean;
        }

        public void onEndOfStream()
        {
        }
    }
}

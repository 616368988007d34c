package io.herz.bench.codec;

import io.herz.ipc.process.JvmLauncher;
import io.herz.codec.json.EventSink;
import io.herz.codec.json.JsonEventProjector;
import io.herz.codec.json.JsonProjectionConfig;
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
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JSON-lines projection throughput on one thread, in lines per second: {@value #LINES} realistic lines of about 120
 * bytes, 6 fields each in shuffled order (event time, key, value and three fields to skip), read from memory by
 * {@link JsonEventProjector} (line splitting, UTF-8 check, parse, projection) into a sink that feeds a
 * {@link Blackhole}. The peers are the two parsers the projector supports ({@code parser} param): Jackson's
 * streaming {@code JsonParser} and DSL-JSON's {@code JsonReader}.
 */
@Fork(value = 3, jvmArgsAppend = {
    "-Dagrona.disable.bounds.checks=true",
    "-Dsbe.enable.precedence.checks=false",
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class JsonProjectionBenchmark
{
    /** Lines per invocation. */
    public static final int LINES = 10_000;

    @Param({ "JACKSON", "DSL_JSON" })
    public String parser;

    private byte[] input;
    private JsonEventProjector projector;
    private EventSink sink;

    /**
     * Build the lines (fixed seed) and the projector.
     *
     * @param blackhole sinks every projected event.
     */
    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        final Random random = new Random(42);
        final StringBuilder sb = new StringBuilder(LINES * 128);
        final String[] fields = new String[6];
        for (int i = 0; i < LINES; i++)
        {
            fields[0] = "\"ts\":" + (1_700_000_000_000L + i * 7L);
            fields[1] = "\"key\":\"sensor-" + random.nextInt(1000) + "\"";
            fields[2] = "\"value\":" + Math.round(random.nextGaussian() * 1e5) / 1e3;
            fields[3] = "\"host\":\"web-" + random.nextInt(100) + ".eu-west-1.prod\"";
            fields[4] = "\"status\":" + (200 + random.nextInt(4) * 100);
            fields[5] = "\"tags\":[\"fw-" + random.nextInt(10) + "\",\"rack-" + random.nextInt(40) + "\"]";
            for (int j = fields.length - 1; j > 0; j--)
            {
                final int k = random.nextInt(j + 1);
                final String tmp = fields[j];
                fields[j] = fields[k];
                fields[k] = tmp;
            }
            sb.append('{').append(String.join(",", fields)).append("}\n");
        }
        input = sb.toString().getBytes(StandardCharsets.UTF_8);
        projector = new JsonEventProjector(new JsonProjectionConfig()
            .parser(JsonProjectionConfig.Parser.valueOf(parser)));
        sink = (eventTimeNs, key, keyOffset, keyLength, value) ->
        {
            blackhole.consume(eventTimeNs);
            blackhole.consume(key.getByte(keyOffset + keyLength - 1));
            blackhole.consume(value);
        };
    }

    /**
     * Project every line once.
     *
     * @return events projected; must equal {@value #LINES}.
     */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public long project()
    {
        final long projected = projector.project(new ByteArrayInputStream(input), sink);
        if (projected != LINES)
        {
            throw new IllegalStateException("lines projected: expected " + LINES + ", found " + projected + "\n" +
                projector.report());
        }
        return projected;
    }

    /**
     * @return mean line length in bytes, newline included (for the report).
     */
    public double meanLineLength()
    {
        return input.length / (double)LINES;
    }
}

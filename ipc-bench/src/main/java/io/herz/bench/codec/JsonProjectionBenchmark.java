package io.herz.bench.codec;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.NumberConverter;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JSON-lines projection throughput on one thread, in lines per second: {@value #LINES} realistic lines of about 120
 * bytes, 6 fields each in shuffled order (event time, key, value and three fields to skip), read from memory by
 * {@link JsonEventProjector} (line splitting, UTF-8 check, parse, every bad-line rule, projection) into a sink that
 * feeds a {@link Blackhole}, with each of its two parsers ({@code parser} param {@code HERZ}: the single-pass SWAR
 * parser, {@code DSL_JSON}: DSL-JSON's {@code JsonReader} over a copy of each UTF-8-checked line). The peers are bare
 * loops with no checks beyond what the library does itself: {@code DSL_JSON_BARE} (one {@code JsonReader} over the
 * whole input, fields matched by name hash, others skipped) and {@code JACKSON_BARE} (one streaming
 * {@code JsonParser} per line, the way Jackson reads a line).
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

    @Param({ "HERZ", "DSL_JSON", "DSL_JSON_BARE", "JACKSON_BARE" })
    public String parser;

    private byte[] input;
    private JsonEventProjector projector;
    private EventSink sink;
    private Blackhole blackhole;
    private JsonReader<Object> dslReader;
    private JsonFactory jackson;
    private int tsHash;
    private int keyHash;
    private int valueHash;

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
        this.blackhole = blackhole;
        if (parser.endsWith("_BARE"))
        {
            final DslJson<Object> dslJson = new DslJson<>();
            dslReader = dslJson.newReader(input);
            tsHash = nameHash(dslJson, "ts");
            keyHash = nameHash(dslJson, "key");
            valueHash = nameHash(dslJson, "value");
            jackson = new JsonFactory();
        }
        else
        {
            projector = new JsonEventProjector(new JsonProjectionConfig()
                .parser(JsonProjectionConfig.Parser.valueOf(parser)));
        }
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
    public long project() throws IOException
    {
        if (parser.equals("DSL_JSON_BARE"))
        {
            return bareDslJson();
        }
        if (parser.equals("JACKSON_BARE"))
        {
            return bareJackson();
        }
        final long projected = projector.project(new ByteArrayInputStream(input), sink);
        if (projected != LINES)
        {
            throw new IllegalStateException("lines projected: expected " + LINES + ", found " + projected + "\n" +
                projector.report());
        }
        return projected;
    }

    private long bareDslJson() throws IOException
    {
        final JsonReader<Object> reader = dslReader.process(input, input.length);
        final Blackhole blackhole = this.blackhole;
        long lines = 0;
        while (reader.getCurrentIndex() < input.length - 1)
        {
            reader.getNextToken(); // '{'
            byte token = reader.getNextToken();
            while (token == '"')
            {
                final int hash = reader.fillName();
                reader.getNextToken();
                if (hash == tsHash)
                {
                    blackhole.consume(NumberConverter.deserializeLong(reader));
                    token = reader.getNextToken();
                }
                else if (hash == valueHash)
                {
                    blackhole.consume(NumberConverter.deserializeDouble(reader));
                    token = reader.getNextToken();
                }
                else if (hash == keyHash)
                {
                    blackhole.consume(reader.readSimpleQuote());
                    token = reader.getNextToken();
                }
                else
                {
                    token = reader.skip();
                }
                if (token == ',')
                {
                    token = reader.getNextToken();
                }
            }
            lines++;
        }
        return check(lines);
    }

    private long bareJackson() throws IOException
    {
        final byte[] input = this.input;
        final Blackhole blackhole = this.blackhole;
        long lines = 0;
        int start = 0;
        for (int i = 0; i < input.length; i++)
        {
            if (input[i] != '\n')
            {
                continue;
            }
            try (JsonParser p = jackson.createParser(input, start, i - start))
            {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = p.currentName();
                    final JsonToken value = p.nextToken();
                    switch (name)
                    {
                        case "ts" -> blackhole.consume(p.getLongValue());
                        case "value" -> blackhole.consume(p.getDoubleValue());
                        case "key" -> blackhole.consume(p.getTextCharacters());
                        default ->
                        {
                            if (value.isStructStart())
                            {
                                p.skipChildren();
                            }
                        }
                    }
                }
            }
            lines++;
            start = i + 1;
        }
        return check(lines);
    }

    private static long check(final long lines)
    {
        if (lines != LINES)
        {
            throw new IllegalStateException("lines read: expected " + LINES + ", found " + lines);
        }
        return lines;
    }

    private static int nameHash(final DslJson<Object> dslJson, final String name)
    {
        final byte[] quoted = ("\"" + name + "\":1").getBytes(StandardCharsets.UTF_8);
        final JsonReader<Object> reader = dslJson.newReader(quoted);
        try
        {
            reader.getNextToken();
            return reader.fillName();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("name hash failed: " + name, ex);
        }
    }

    /**
     * @return mean line length in bytes, newline included (for the report).
     */
    public double meanLineLength()
    {
        return input.length / (double)LINES;
    }
}

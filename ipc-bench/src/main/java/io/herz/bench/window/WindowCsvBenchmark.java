package io.herz.bench.window;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.herz.codec.sbe.MessageHeaderEncoder;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.codec.sbe.WindowResultEncoder;
import io.herz.window.CsvRowWriter;
import io.herz.window.WindowCsv;
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
 * Result rows per second through the sink's work on one thread: {@value #ROWS} SBE WindowResult messages (keys
 * {@code sensor-NNNNN}, sums and means of two-decimal values as the seed's job produces them) decoded in place and
 * written as CSV to a stream that discards the bytes. {@code writer} {@code HERZ}: {@link CsvRowWriter} (rows
 * formatted into one reusable byte buffer, {@code DoubleText} for the doubles, bulk writes); {@code STRING_BUILDER}:
 * the former path, {@link WindowCsv#appendRow} into a {@link StringBuilder} ({@code Double.toString} per double)
 * appended to a {@link BufferedWriter}. Both write the same bytes. One operation is one row.
 */
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true",
    "-Dsbe.enable.precedence.checks=false" })
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WindowCsvBenchmark
{
    static final int ROWS = 10_000;
    static final int MESSAGE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + WindowResultEncoder.BLOCK_LENGTH;

    /** Which CSV writer. */
    @Param({ "HERZ", "STRING_BUILDER" })
    public String writer;

    private final UnsafeBuffer messages = new UnsafeBuffer(new byte[ROWS * MESSAGE_LENGTH]);
    private final WindowResultDecoder decoder = new WindowResultDecoder();
    private final StringBuilder row = new StringBuilder(256);
    private CsvRowWriter rows;
    private Writer text;

    /**
     * Encode the messages and open both writers on a discarding stream.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final WindowResultEncoder encoder = new WindowResultEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        for (int i = 0; i < ROWS; i++)
        {
            final long count = 1 + random.nextInt(20);
            double sum = 0;
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int k = 0; k < count; k++)
            {
                final double value = random.nextInt(10_000) / 100.0;
                sum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            final long startNs = 1_700_000_000_000_000_000L + (i / 1000) * 1_000_000_000L;
            encoder.wrapAndApplyHeader(messages, i * MESSAGE_LENGTH, header)
                .windowStartNs(startNs).windowEndNs(startNs + 1_000_000_000L)
                .count(count).sum(sum).min(min).max(max).mean(sum / count)
                .keySize((short)11)
                .key(String.format("sensor-%05d", random.nextInt(10_000)));
        }
        rows = new CsvRowWriter(OutputStream.nullOutputStream(), "null", 1 << 16);
        text = new BufferedWriter(new OutputStreamWriter(OutputStream.nullOutputStream(), StandardCharsets.US_ASCII),
            1 << 16);
    }

    /**
     * Decode and write every row once.
     *
     * @return rows written so far.
     * @throws IOException never (the stream discards).
     */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long decodeAndWrite() throws IOException
    {
        final WindowResultDecoder decoder = this.decoder;
        final boolean herz = "HERZ".equals(writer);
        for (int i = 0; i < ROWS; i++)
        {
            decoder.wrap(messages, i * MESSAGE_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH,
                WindowResultDecoder.BLOCK_LENGTH, WindowResultDecoder.SCHEMA_VERSION);
            final int keyOffset = decoder.offset() + WindowResultDecoder.keyEncodingOffset();
            if (herz)
            {
                rows.row(decoder.windowStartNs(), decoder.windowEndNs(), messages, keyOffset, decoder.keySize(),
                    decoder.count(), decoder.sum(), decoder.min(), decoder.max(), decoder.mean());
            }
            else
            {
                row.setLength(0);
                WindowCsv.appendRow(row, decoder.windowStartNs(), decoder.windowEndNs(), messages, keyOffset,
                    decoder.keySize(), decoder.count(), decoder.sum(), decoder.min(), decoder.max(), decoder.mean())
                    .append('\n');
                text.append(row);
            }
        }
        return rows.rowCount();
    }
}

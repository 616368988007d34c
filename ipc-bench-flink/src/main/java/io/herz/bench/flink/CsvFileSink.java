package io.herz.bench.flink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/**
 * Writes rows to one CSV file (run it with parallelism 1), with Herz's window CSV header first.
 */
final class CsvFileSink extends RichSinkFunction<String>
{
    /** Herz's header ({@code io.herz.window.WindowCsv.HEADER}). */
    static final String HEADER = "window_start_ms,window_end_ms,key,count,sum,min,max,mean";

    /** Accumulator name: wall-clock time (epoch ms) when the sink closed after its last row. */
    static final String CLOSED_MS = "sinkClosedMs";
    /** Accumulator name: rows written. */
    static final String ROWS = "rows";

    private static final long serialVersionUID = 1L;

    private final String file;
    private transient BufferedWriter writer;
    private transient LongCounter rows;
    private transient LongMaximum closedMs;

    /**
     * @param file the CSV file, replaced.
     */
    CsvFileSink(final String file)
    {
        this.file = file;
    }

    @Override
    public void open(final OpenContext openContext) throws IOException
    {
        rows = new LongCounter();
        closedMs = new LongMaximum();
        getRuntimeContext().addAccumulator(ROWS, rows);
        getRuntimeContext().addAccumulator(CLOSED_MS, closedMs);
        writer = Files.newBufferedWriter(Paths.get(file), StandardCharsets.UTF_8);
        writer.write(HEADER);
        writer.write('\n');
    }

    @Override
    public void invoke(final String row, final Context context)
    {
        try
        {
            writer.write(row);
            writer.write('\n');
            rows.add(1L);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write CSV: " + file, ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        if (null != writer)
        {
            writer.close();
            closedMs.add(System.currentTimeMillis());
        }
    }
}

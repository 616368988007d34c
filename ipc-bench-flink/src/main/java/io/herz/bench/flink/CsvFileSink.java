package io.herz.bench.flink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/**
 * Writes rows to one CSV file (run it with parallelism 1), with Herz's window CSV header first.
 */
final class CsvFileSink extends RichSinkFunction<String>
{
    /** Herz's header ({@code io.herz.window.WindowCsv.HEADER}). */
    static final String HEADER = "window_start_ms,window_end_ms,key,count,sum,min,max,mean";

    private static final long serialVersionUID = 1L;

    private final String file;
    private transient BufferedWriter writer;

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
        }
    }
}

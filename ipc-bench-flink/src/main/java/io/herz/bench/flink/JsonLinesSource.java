package io.herz.bench.flink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Emits the lines of one file, in order, as fast as the job takes them; one source (parallelism 1) per file, as one
 * Herz producer JVM reads one file. Bounded: it returns at the end of the file, which sends Flink's end-of-input
 * watermark.
 */
final class JsonLinesSource implements SourceFunction<String>
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private volatile boolean running = true;

    /**
     * @param file the JSON-lines file.
     */
    JsonLinesSource(final Path file)
    {
        this.file = file.toAbsolutePath().toString();
    }

    @Override
    public void run(final SourceContext<String> context)
    {
        final Path path = Paths.get(file);
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            String line;
            while (running && null != (line = reader.readLine()))
            {
                synchronized (context.getCheckpointLock())
                {
                    context.collect(line);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read JSON lines: " + path, ex);
        }
    }

    @Override
    public void cancel()
    {
        running = false;
    }
}

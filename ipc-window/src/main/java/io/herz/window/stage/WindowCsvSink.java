package io.herz.window.stage;

import io.herz.codec.EventHandler;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.window.CsvRowWriter;

/**
 * The sink's side of the results path, as {@code herz sink} runs it: each WindowResult, decoded in place by an
 * {@link io.herz.codec.EventDispatcher}, becomes one CSV row of a {@link CsvRowWriter} (no copy of the message, no
 * allocation); EndOfStream messages are counted. Give it to a dispatcher and poll a subscription with that
 * dispatcher in batches. Not thread-safe.
 */
public final class WindowCsvSink implements EventHandler
{
    private final CsvRowWriter writer;
    private long resultCount;
    private int endOfStreamCount;

    /**
     * @param writer receives one row per WindowResult; the caller writes its header and flushes it.
     */
    public WindowCsvSink(final CsvRowWriter writer)
    {
        this.writer = writer;
    }

    /**
     * {@inheritDoc}
     */
    public void onWindowResult(final WindowResultDecoder decoder)
    {
        writer.row(decoder.windowStartNs(), decoder.windowEndNs(), decoder.buffer(),
            decoder.offset() + WindowResultDecoder.keyEncodingOffset(), decoder.keySize(), decoder.count(),
            decoder.sum(), decoder.min(), decoder.max(), decoder.mean());
        resultCount++;
    }

    /**
     * {@inheritDoc}
     */
    public void onEndOfStream(final EndOfStreamDecoder decoder)
    {
        endOfStreamCount++;
    }

    /**
     * @return WindowResults written as rows.
     */
    public long resultCount()
    {
        return resultCount;
    }

    /**
     * @return EndOfStream messages received.
     */
    public int endOfStreamCount()
    {
        return endOfStreamCount;
    }

    /**
     * @return the writer the rows go to.
     */
    public CsvRowWriter writer()
    {
        return writer;
    }
}

package io.herz.codec.json;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Projects JSON lines into events: one JSON object per line, three configured top-level fields (event time, key,
 * value) become one {@link EventSink#onEvent} call; every other field is skipped. A bad line is counted by
 * {@link BadLineReason}, the first few are described with their line number, and reading goes on: every good line
 * is projected whatever surrounds it.
 * <pre>{@code
 * JsonEventProjector projector = new JsonEventProjector(new JsonProjectionConfig().tsUnit("ms"));
 * projector.project(System.in, new PublishingEventSink(publisher, new BackoffIdleStrategy()));
 * System.err.println(projector.report());
 * }</pre>
 * Lines end with {@code \n} (a {@code \r} before it is dropped); the last line needs no newline. The default parser
 * ({@link JsonProjectionConfig.Parser#HERZ}) reads each line once, in place, eight bytes at a time, and checks UTF-8
 * only on lines holding a non-ASCII byte: a good line of the common shape is read by {@code SwarFastPath} straight from
 * the read buffer, its newline found as the parse reaches the end of the object, and any other line is found by a
 * newline scan and read by {@code SwarLineParser}, which decides every bad-line reason;
 * {@link JsonProjectionConfig.Parser#DSL_JSON} checks each line as UTF-8 first
 * and then reads a copy with DSL-JSON's {@code JsonReader}. Both give the same verdict on every line, build no tree,
 * match field names without allocation and allocate nothing per line in the steady state.
 * <p>
 * Counters accumulate over every {@code project} call. Not thread-safe.
 */
public final class JsonEventProjector
{
    private static final int READ_CHUNK = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final JsonProjectionConfig config;
    private final LineParser parser;
    private final SwarFastPath fastPath;
    private final int maxLineLength;
    private final long[] badLinesByReason = new long[BadLineReason.values().length];
    private final List<String> reportedLines = new ArrayList<>();
    /** Read buffer; its last {@link SwarFastPath#PADDING} bytes are never filled. */
    private byte[] buffer;
    /** Wraps {@link #buffer}: the key of a line read by the fast path, in place. */
    private final UnsafeBuffer bufferView = new UnsafeBuffer(new byte[0]);

    private long lineCount;
    private long projectedCount;
    private long badLineCount;

    /**
     * @param config validated here with {@link JsonProjectionConfig#conclude()}; later changes to it are ignored.
     * @throws IllegalArgumentException if the configuration is invalid.
     */
    public JsonEventProjector(final JsonProjectionConfig config)
    {
        this(config, JsonEventProjector::newParser);
    }

    /**
     * A projector with a parser of the caller's (a test oracle or a benchmark peer).
     */
    JsonEventProjector(final JsonProjectionConfig config, final Function<JsonProjectionConfig, LineParser> parsers)
    {
        this.config = config.copy().conclude();
        this.parser = parsers.apply(this.config);
        this.fastPath = parser.fastPath();
        this.maxLineLength = this.config.maxLineLength();
        this.buffer = new byte[Math.min(maxLineLength, READ_CHUNK) + READ_CHUNK + SwarFastPath.PADDING];
        this.bufferView.wrap(buffer);
    }

    private static LineParser newParser(final JsonProjectionConfig config)
    {
        return config.parser() == JsonProjectionConfig.Parser.DSL_JSON ? new DslJsonLineParser(config) :
            new SwarLineParser(config);
    }

    /**
     * Project every line of a stream until its end. Does not close the stream.
     *
     * @param in   JSON lines, UTF-8.
     * @param sink receives one call per good line, in line order.
     * @return events projected by this call.
     * @throws UncheckedIOException if reading fails; lines read before are projected and counted.
     */
    public long project(final InputStream in, final EventSink sink)
    {
        try
        {
            return projectStream(in, sink);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("json lines read failed: line=" + (lineCount + 1), ex);
        }
    }

    /**
     * Project every line of a file.
     *
     * @param file JSON lines, UTF-8.
     * @param sink receives one call per good line, in line order.
     * @return events projected by this call.
     * @throws UncheckedIOException naming the file if it cannot be opened or read.
     */
    public long project(final Path file, final EventSink sink)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return projectStream(in, sink);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(file.toAbsolutePath() + ": json lines read failed: line=" +
                (lineCount + 1), ex);
        }
    }

    private long projectStream(final InputStream in, final EventSink sink) throws IOException
    {
        final long projectedBefore = projectedCount;
        int start = 0;
        int end = 0;
        int scan = 0;
        // After the last newline read so far: the fast path is given complete lines only. A line cut by the end of
        // the buffer would make it give up at whichever token the cut fell in; each of those end-of-input checks is
        // then a branch C2 has never seen taken, and taking it once deoptimizes the parser (uncommon trap, then a
        // recompile: four C2 compiles of SwarFastPath.parse in a 2M-line producer). The cut line goes to the newline
        // scan below, as it did when the fast path gave up on it.
        int complete = 0;
        boolean skippingLongLine = false;
        final SwarFastPath fastPath = this.fastPath;
        while (true)
        {
            if (fastPath != null && scan == start && start < complete && !skippingLongLine)
            {
                // At most once per line (scan moves on once the line is searched): a good line of the common shape
                // is read here in one pass, its newline found at the end of the object; any other is read below.
                final int next = fastPath.parse(buffer, start, complete);
                if (next >= 0)
                {
                    lineCount++;
                    projectedCount++;
                    sink.onEvent(fastPath.eventTimeNs, bufferView, fastPath.keyOffset, fastPath.keyLength,
                        fastPath.value);
                    start = next;
                    scan = next;
                    continue;
                }
            }
            final int newline = indexOfNewline(buffer, scan, end);
            if (newline >= 0)
            {
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                }
                else
                {
                    onLine(buffer, start, newline - start, sink);
                }
                start = newline + 1;
                scan = start;
                continue;
            }
            // Too long before its newline arrives; one byte more is allowed when it is a '\r' (the newline may follow
            // in the next read, and onLine does not count a CRLF's '\r'), so chunking never changes the verdict.
            if (!skippingLongLine && end - start > maxLineLength &&
                !(end - start == maxLineLength + 1 && buffer[end - 1] == '\r'))
            {
                onBadLine(++lineCount, BadLineReason.LINE_TOO_LONG, "longer than " + maxLineLength + " bytes");
                skippingLongLine = true;
            }
            if (skippingLongLine)
            {
                start = end;
            }
            if (start > 0)
            {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                complete = Math.max(0, complete - start);
                start = 0;
            }
            if (end == buffer.length - SwarFastPath.PADDING)
            {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
                bufferView.wrap(buffer);
            }
            scan = end;
            final int read = in.read(buffer, end, buffer.length - SwarFastPath.PADDING - end);
            if (read < 0)
            {
                if (end > start && !skippingLongLine)
                {
                    onLine(buffer, start, end - start, sink);
                }
                return projectedCount - projectedBefore;
            }
            complete = afterLastNewline(buffer, end, end + read, complete);
            end += read;
        }
    }

    /**
     * @return the position after the last newline of {@code bytes[from, to)}, or {@code otherwise} if it holds none.
     */
    private static int afterLastNewline(final byte[] bytes, final int from, final int to, final int otherwise)
    {
        for (int i = to - 1; i >= from; i--)
        {
            if (bytes[i] == '\n')
            {
                return i + 1;
            }
        }
        return otherwise;
    }

    private void onLine(final byte[] bytes, final int offset, final int rawLength, final EventSink sink)
    {
        final long lineNumber = ++lineCount;
        final int length = rawLength > 0 && bytes[offset + rawLength - 1] == '\r' ? rawLength - 1 : rawLength;
        if (length > maxLineLength)
        {
            onBadLine(lineNumber, BadLineReason.LINE_TOO_LONG, "longer than " + maxLineLength + " bytes");
            return;
        }
        if (isBlank(bytes, offset, length))
        {
            onBadLine(lineNumber, BadLineReason.EMPTY_LINE, "empty line");
            return;
        }
        final LineParser parser = this.parser;
        final boolean good;
        if (parser.validatesUtf8())
        {
            // One pass: parse first; check UTF-8 only where the parser saw a non-ASCII byte or the line is bad, so
            // that invalid UTF-8 is still the reason reported before any other.
            good = parser.parse(bytes, offset, length);
            if ((!good || parser.nonAscii) && invalidUtf8(lineNumber, bytes, offset, length))
            {
                return;
            }
        }
        else
        {
            if (invalidUtf8(lineNumber, bytes, offset, length))
            {
                return;
            }
            good = parser.parse(bytes, offset, length);
        }
        if (good)
        {
            projectedCount++;
            sink.onEvent(parser.eventTimeNs, parser.key, 0, parser.keyLength, parser.value);
        }
        else
        {
            onBadLine(lineNumber, parser.reason, null);
        }
    }

    private boolean invalidUtf8(final long lineNumber, final byte[] bytes, final int offset, final int length)
    {
        final int invalid = Utf8.indexOfInvalid(bytes, offset, length);
        if (invalid >= 0)
        {
            onBadLine(lineNumber, BadLineReason.INVALID_UTF8, "invalid UTF-8 at byte " + invalid);
            return true;
        }
        return false;
    }

    private void onBadLine(final long lineNumber, final BadLineReason reason, final String detail)
    {
        badLineCount++;
        badLinesByReason[reason.ordinal()]++;
        if (reportedLines.size() < config.maxReportedLines())
        {
            reportedLines.add("line " + lineNumber + ": " + reason.name() + ": " +
                (detail != null ? detail : parser.describe()));
        }
    }

    private static int indexOfNewline(final byte[] bytes, final int from, final int to)
    {
        int i = from;
        for (; i + 8 <= to; i += 8)
        {
            // SWAR: a byte of x is zero where the input holds '\n'; the lowest flagged byte is the first newline.
            final long x = (long)LONGS.get(bytes, i) ^ NEWLINES;
            final long found = (x - ONES) & ~x & HIGH_BITS;
            if (found != 0)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if (bytes[i] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return lines read so far, good and bad.
     */
    public long lineCount()
    {
        return lineCount;
    }

    /**
     * @return events handed to sinks so far.
     */
    public long projectedCount()
    {
        return projectedCount;
    }

    /**
     * @return bad lines so far, for every reason.
     */
    public long badLineCount()
    {
        return badLineCount;
    }

    /**
     * @param reason why lines were bad.
     * @return bad lines so far for {@code reason}.
     */
    public long badLineCount(final BadLineReason reason)
    {
        return badLinesByReason[reason.ordinal()];
    }

    /**
     * @return the first bad lines, e.g. {@code "line 7: MISSING_FIELD: field \"value\" missing"}; at most
     * {@link JsonProjectionConfig#maxReportedLines()}.
     */
    public List<String> reportedLines()
    {
        return Collections.unmodifiableList(reportedLines);
    }

    /**
     * Summarize: counts, bad lines by reason, then the first bad lines one per line of text.
     *
     * @return e.g. {@code "read 12 lines: projected 10, bad 2 (EMPTY_LINE=1, WRONG_TYPE=1)\nline 3: ..."}.
     */
    public String report()
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("read ").append(lineCount).append(" lines: projected ").append(projectedCount)
            .append(", bad ").append(badLineCount);
        String separator = " (";
        for (final BadLineReason reason : BadLineReason.values())
        {
            final long count = badLinesByReason[reason.ordinal()];
            if (count > 0)
            {
                sb.append(separator).append(reason.name()).append('=').append(count);
                separator = ", ";
            }
        }
        if (badLineCount > 0)
        {
            sb.append(')');
        }
        for (final String line : reportedLines)
        {
            sb.append('\n').append(line);
        }
        return sb.toString();
    }

    /**
     * @return the concluded configuration in use.
     */
    public JsonProjectionConfig config()
    {
        return config;
    }
}

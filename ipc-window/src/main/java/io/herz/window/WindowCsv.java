package io.herz.window;

import org.agrona.DirectBuffer;

/**
 * The CSV form of window results, as {@code herz sink} writes it: a {@link #HEADER} line, then one row per result in
 * the order received. Times are epoch milliseconds (with a decimal fraction only when the nanoseconds are not whole
 * milliseconds), doubles are written with {@link Double#toString(double)} (the shortest text that reads back to the
 * same double), keys are quoted per RFC 4180 when they hold a comma, quote or line break. {@link CsvRowWriter}
 * writes the same bytes without allocating.
 */
public final class WindowCsv
{
    /**
     * The header line, without a line terminator.
     */
    public static final String HEADER = "window_start_ms,window_end_ms,key,count,sum,min,max,mean";

    private WindowCsv()
    {
    }

    /**
     * Append one row, without a line terminator.
     *
     * @param row        appended to.
     * @param startNs    window start, epoch nanoseconds.
     * @param endNs      window end, epoch nanoseconds.
     * @param keyBuffer  holding the ASCII key.
     * @param keyOffset  of the key.
     * @param keyLength  of the key.
     * @param count      events.
     * @param sum        sum of values.
     * @param min        smallest value.
     * @param max        largest value.
     * @param mean       sum / count.
     * @return {@code row}.
     */
    public static StringBuilder appendRow(
        final StringBuilder row,
        final long startNs,
        final long endNs,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final long count,
        final double sum,
        final double min,
        final double max,
        final double mean)
    {
        appendEpochMs(row, startNs).append(',');
        appendEpochMs(row, endNs).append(',');
        appendKey(row, keyBuffer, keyOffset, keyLength).append(',');
        row.append(count).append(',')
            .append(sum).append(',')
            .append(min).append(',')
            .append(max).append(',')
            .append(mean);

        return row;
    }

    /**
     * Append epoch nanoseconds as epoch milliseconds: whole milliseconds as an integer, otherwise with the exact
     * decimal fraction (no trailing zeros).
     *
     * @param text   appended to.
     * @param timeNs epoch nanoseconds.
     * @return {@code text}.
     */
    public static StringBuilder appendEpochMs(final StringBuilder text, final long timeNs)
    {
        final long wholeMs = Math.floorDiv(timeNs, 1_000_000L);
        final long fractionNs = Math.floorMod(timeNs, 1_000_000L);
        if (timeNs < 0 && 0 != fractionNs)
        {
            text.append('-');
            appendMs(text, -(wholeMs + 1), 1_000_000L - fractionNs);
        }
        else
        {
            appendMs(text, wholeMs, fractionNs);
        }

        return text;
    }

    private static void appendMs(final StringBuilder text, final long wholeMs, final long fractionNs)
    {
        text.append(wholeMs);
        if (0 != fractionNs)
        {
            text.append('.');
            long digits = fractionNs;
            int width = 6;
            while (0 == digits % 10)
            {
                digits /= 10;
                width--;
            }
            final String fraction = Long.toString(digits);
            for (int i = fraction.length(); i < width; i++)
            {
                text.append('0');
            }
            text.append(fraction);
        }
    }

    private static StringBuilder appendKey(
        final StringBuilder text, final DirectBuffer keyBuffer, final int keyOffset, final int keyLength)
    {
        boolean quote = false;
        for (int i = 0; i < keyLength; i++)
        {
            final byte b = keyBuffer.getByte(keyOffset + i);
            if (',' == b || '"' == b || '\n' == b || '\r' == b)
            {
                quote = true;
                break;
            }
        }

        if (quote)
        {
            text.append('"');
        }
        for (int i = 0; i < keyLength; i++)
        {
            final char c = (char)(keyBuffer.getByte(keyOffset + i) & 0xFF);
            if ('"' == c)
            {
                text.append('"');
            }
            text.append(c);
        }
        if (quote)
        {
            text.append('"');
        }

        return text;
    }
}

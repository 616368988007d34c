package io.herz.bench.flink;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a fired window into a row of Herz's window CSV ({@code io.herz.window.WindowCsv}): window start and end in
 * epoch milliseconds, the key (quoted per RFC 4180 when needed), count, sum, min, max and mean, the doubles with
 * {@link Double#toString(double)}. Rows fired again for late events (allowed lateness) are written again, as Herz's
 * sink writes updates.
 */
final class CsvRow extends ProcessWindowFunction<Stats, String, String, TimeWindow>
{
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        final String key, final Context context, final Iterable<Stats> elements, final Collector<String> out)
    {
        final TimeWindow window = context.window();
        for (final Stats stats : elements)
        {
            out.collect(format(window.getStart(), window.getEnd(), key, stats));
        }
    }

    /**
     * One CSV row, without a line terminator.
     *
     * @param startMs window start, epoch milliseconds.
     * @param endMs   window end, epoch milliseconds.
     * @param key     the key.
     * @param stats   the window's aggregates.
     * @return the row.
     */
    static String format(final long startMs, final long endMs, final String key, final Stats stats)
    {
        final StringBuilder row = new StringBuilder(96);
        row.append(startMs).append(',').append(endMs).append(',');
        appendKey(row, key);
        row.append(',').append(stats.count)
            .append(',').append(stats.sum)
            .append(',').append(stats.min)
            .append(',').append(stats.max)
            .append(',').append(stats.sum / stats.count);

        return row.toString();
    }

    static void appendKey(final StringBuilder row, final String key)
    {
        final boolean quote = key.indexOf(',') >= 0 || key.indexOf('"') >= 0 || key.indexOf('\n') >= 0 ||
            key.indexOf('\r') >= 0;
        if (!quote)
        {
            row.append(key);
            return;
        }
        row.append('"');
        for (int i = 0; i < key.length(); i++)
        {
            final char c = key.charAt(i);
            if ('"' == c)
            {
                row.append('"');
            }
            row.append(c);
        }
        row.append('"');
    }
}

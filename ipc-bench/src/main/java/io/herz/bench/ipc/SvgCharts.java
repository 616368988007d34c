package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's pictures as inline SVG, nothing fetched: a latency percentile distribution (both axes log-scaled, as
 * HdrHistogram's plotter draws it: x is {@code 1/(1-p)}) and horizontal throughput bars with min..max whiskers.
 */
final class SvgCharts
{
    /** Colour of each transport row, by position in the report. */
    static final String[] COLOURS = {
        "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};

    private static final double MAX_NINES = 5;
    private static final String[] X_LABELS = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};

    /** One line of a percentile chart. */
    record Series(String label, String colour, Histogram histogram, String dash)
    {
    }

    /** One bar of a throughput chart. */
    record Bar(String label, String colour, double median, double min, double max, String note)
    {
    }

    private SvgCharts()
    {
    }

    static String percentileChart(final String cssClass, final String attributes, final String title,
        final List<Series> series)
    {
        final int width = 980;
        final int height = 480;
        final int left = 90;
        final int right = 300;
        final int top = 46;
        final int bottom = 64;
        final int plotWidth = width - left - right;
        final int plotHeight = height - top - bottom;

        double minValue = Double.MAX_VALUE;
        double maxValue = 0;
        final List<List<double[]>> lines = new ArrayList<>();
        for (final Series one : series)
        {
            final List<double[]> points = points(one.histogram());
            lines.add(points);
            for (final double[] point : points)
            {
                minValue = Math.min(minValue, point[1]);
                maxValue = Math.max(maxValue, point[1]);
            }
        }
        if (maxValue == 0)
        {
            minValue = 1;
            maxValue = 1000;
        }
        final int minDecade = (int)Math.floor(Math.log10(Math.max(minValue, 1)));
        final int maxDecade = Math.max(minDecade + 1, (int)Math.ceil(Math.log10(Math.max(maxValue, 1))));

        final StringBuilder svg = new StringBuilder();
        open(svg, cssClass, attributes, width, height, title);
        // y axis: decades of nanoseconds, labelled in us/ms/s
        for (int decade = minDecade; decade <= maxDecade; decade++)
        {
            final double y = top + plotHeight - (decade - minDecade) * (double)plotHeight / (maxDecade - minDecade);
            svg.append(line(left, y, left + plotWidth, y, "#ddd", 1, ""));
            svg.append(text(left - 8, y + 4, "end", 12, nanosLabel(Math.pow(10, decade))));
        }
        for (int nines = 0; nines <= MAX_NINES; nines++)
        {
            final double x = left + nines * plotWidth / MAX_NINES;
            svg.append(line(x, top, x, top + plotHeight, "#ddd", 1, ""));
            svg.append(text(x, top + plotHeight + 18, "middle", 12, X_LABELS[nines]));
        }
        svg.append(line(left, top + plotHeight, left + plotWidth, top + plotHeight, "#333", 1, ""));
        svg.append(line(left, top, left, top + plotHeight, "#333", 1, ""));
        svg.append(text(left + plotWidth / 2.0, height - 16, "middle", 13,
            "percentile (log scale: each step is one more nine)"));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 18 %.1f)\">" +
            "one-way latency (log scale)</text>\n", top + plotHeight / 2.0, top + plotHeight / 2.0));

        for (int i = 0; i < series.size(); i++)
        {
            final Series one = series.get(i);
            final StringBuilder path = new StringBuilder();
            for (final double[] point : lines.get(i))
            {
                final double x = left + point[0] * plotWidth / MAX_NINES;
                final double y = top + plotHeight - (Math.log10(Math.max(point[1], 1)) - minDecade) * plotHeight /
                    (maxDecade - minDecade);
                path.append(path.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(one.colour())
                .append("\" stroke-width=\"2\"").append(one.dash().isEmpty() ? "" : " stroke-dasharray=\"" +
                one.dash() + "\"").append(" points=\"").append(path).append("\"><title>")
                .append(HtmlReport.escape(one.label())).append("</title></polyline>\n");
            final double legendY = top + 8 + i * 20;
            svg.append(line(left + plotWidth + 16, legendY, left + plotWidth + 46, legendY, one.colour(), 2,
                one.dash()));
            svg.append(text(left + plotWidth + 52, legendY + 4, "start", 12, one.label()));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    static String barChart(final String cssClass, final String attributes, final String title, final List<Bar> bars)
    {
        final int width = 980;
        final int left = 210;
        final int right = 250;
        final int top = 46;
        final int rowHeight = 30;
        final int plotWidth = width - left - right;
        final int plotHeight = Math.max(1, bars.size()) * rowHeight;
        final int height = top + plotHeight + 56;
        double maxValue = 0;
        for (final Bar bar : bars)
        {
            maxValue = Math.max(maxValue, bar.max());
        }
        final double step = niceStep(maxValue > 0 ? maxValue : 1);
        final double axisMax = Math.ceil((maxValue > 0 ? maxValue : 1) / step) * step;

        final StringBuilder svg = new StringBuilder();
        open(svg, cssClass, attributes, width, height, title);
        for (double tick = 0; tick <= axisMax + step / 2; tick += step)
        {
            final double x = left + tick * plotWidth / axisMax;
            svg.append(line(x, top, x, top + plotHeight, "#ddd", 1, ""));
            svg.append(text(x, top + plotHeight + 18, "middle", 12, tick == 0 ? "0" : MarkdownReport.rate(tick)));
        }
        svg.append(text(left + plotWidth / 2.0, height - 12, "middle", 13,
            "messages per second (bar: median over rounds; whisker: min..max)"));
        for (int i = 0; i < bars.size(); i++)
        {
            final Bar bar = bars.get(i);
            final double y = top + i * rowHeight + 5;
            final double barHeight = rowHeight - 10;
            svg.append(text(left - 8, y + barHeight / 2 + 4, "end", 12, bar.label()));
            svg.append(String.format(Locale.ROOT,
                "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title>" +
                "</rect>\n", left, y, bar.median() * plotWidth / axisMax, barHeight, bar.colour(),
                HtmlReport.escape(bar.label() + ": " + bar.note())));
            final double x0 = left + bar.min() * plotWidth / axisMax;
            final double x1 = left + bar.max() * plotWidth / axisMax;
            final double mid = y + barHeight / 2;
            svg.append(line(x0, mid, x1, mid, "#111", 1.5, ""));
            svg.append(line(x0, mid - 5, x0, mid + 5, "#111", 1.5, ""));
            svg.append(line(x1, mid - 5, x1, mid + 5, "#111", 1.5, ""));
            svg.append(text(left + plotWidth + 8, mid + 4, "start", 12, bar.note()));
        }
        svg.append(line(left, top, left, top + plotHeight, "#333", 1, ""));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /**
     * @return (nines, value ns) points from p0 to the largest percentile the sample count supports, then the max.
     */
    private static List<double[]> points(final Histogram histogram)
    {
        final List<double[]> points = new ArrayList<>();
        final long count = histogram.getTotalCount();
        if (count == 0)
        {
            return points;
        }
        final double maxNines = Math.min(MAX_NINES, Math.log10(count));
        for (int step = 0; step / 10.0 <= maxNines; step++)
        {
            final double nines = step / 10.0;
            final double percentile = 100 * (1 - Math.pow(10, -nines));
            points.add(new double[]{nines, histogram.getValueAtPercentile(percentile)});
        }
        points.add(new double[]{maxNines, histogram.getMaxValue()});
        return points;
    }

    private static void open(
        final StringBuilder svg, final String cssClass, final String attributes, final int width, final int height,
        final String title)
    {
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").append(cssClass).append("\" ")
            .append(attributes).append(" width=\"").append(width).append("\" height=\"").append(height)
            .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
            .append("\" font-family=\"sans-serif\" role=\"img\">\n");
        svg.append("<title>").append(HtmlReport.escape(title)).append("</title>\n");
        svg.append(text(width / 2.0, 24, "middle", 15, title).replace("<text ", "<text font-weight=\"bold\" "));
    }

    private static String line(
        final double x1, final double y1, final double x2, final double y2, final String colour, final double width,
        final String dash)
    {
        return String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
            x1, y1, x2, y2, colour, width, dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String text(final double x, final double y, final String anchor, final int size, final String text)
    {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
            x, y, anchor, size, HtmlReport.escape(text));
    }

    static String nanosLabel(final double nanos)
    {
        if (nanos >= 1e9)
        {
            return trim(nanos / 1e9) + " s";
        }
        if (nanos >= 1e6)
        {
            return trim(nanos / 1e6) + " ms";
        }
        if (nanos >= 1e3)
        {
            return trim(nanos / 1e3) + " us";
        }
        return trim(nanos) + " ns";
    }

    private static String trim(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double niceStep(final double max)
    {
        final double raw = max / 5;
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        final double scaled = raw / magnitude;
        return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * magnitude;
    }
}

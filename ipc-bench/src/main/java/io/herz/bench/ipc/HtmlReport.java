package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The session as one self-contained HTML page (inline SVG and CSS, no script, nothing fetched): title with the
 * machine, JDK, date and flags; the noise baselines; one throughput bar chart per shape with the spread and the
 * ratio to Herz; one latency percentile chart per rate (and message size) with every transport, from the intended
 * send time (solid) and from the send stamp (dashed), beside the noise baseline (grey); the tables of
 * {@link MarkdownReport}; what each row is.
 */
final class HtmlReport
{
    private HtmlReport()
    {
    }

    static String render(final BenchSession session)
    {
        final MachineInfo machine = session.machine;
        final StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>herz bench: ")
            .append(escape(machine.title())).append("</title>\n<style>\n")
            .append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}")
            .append("table{border-collapse:collapse;margin:1em 0;font-size:13px}")
            .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}")
            .append("td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}")
            .append("code{background:#f3f3f3;padding:0 3px}.meta{color:#555;font-size:14px;overflow-wrap:anywhere}")
            .append("svg{display:block;margin:1em 0;border:1px solid #eee}.bad{color:#b00;font-weight:bold}\n")
            .append("</style>\n</head>\n<body>\n");
        html.append("<h1>herz bench: ").append(escape(machine.processors() + " x " + machine.cpu()))
            .append(", ").append(escape(machine.jdk())).append(", ").append(escape(machine.date())).append("</h1>\n");
        html.append("<ul class=\"meta\">\n");
        meta(html, "machine", machine.processors() + " x " + machine.cpu() + ", " + machine.os());
        meta(html, "JDK", machine.jdk());
        meta(html, "child JVM flags", machine.jvmFlags());
        meta(html, "when", machine.date() + " to " + session.finishedAt + "; " + machine.uptime() +
            " before, load average " + session.loadAfter + " after");
        meta(html, "command", "herz bench " + String.join(" ", session.options.commandLine) + " (" +
            session.options.rounds + (session.options.rounds == 1 ? " round" : " rounds") + ", idle " +
            session.options.idle + ", ring capacity " + session.options.capacity + " B)");
        for (final Map.Entry<String, String> skipped : session.skipped.entrySet())
        {
            meta(html, "skipped " + skipped.getKey(), skipped.getValue());
        }
        html.append("</ul>\n");
        html.append("<p>Every message of every run was checked by its consumer (producer id, per-producer sequence, " +
            "length, payload): ").append(session.allChecked() ? "no message lost, repeated or reordered." :
            "<span class=\"bad\">NOT ALL: see the failed runs</span>.").append("</p>\n");

        html.append("<h2>Machine noise</h2>\n<p>Threads that only read the clock, before and after the run: every " +
            "p99.9 and max below is bounded by these gaps on this machine.</p>\n");
        html.append(tables(MarkdownReport.noise(session)));

        html.append("<h2>Throughput</h2>\n");
        throughputCharts(html, session);
        html.append(tables(MarkdownReport.throughput(session)));

        html.append("<h2>Latency</h2>\n<p>One-way, from the consumer's clock minus the intended send time of the " +
            "fixed-rate schedule (solid; a stalled sender cannot hide its stall) and minus the stamp taken at send " +
            "(dashed). Grey: the machine-noise baseline before the run.</p>\n");
        latencyCharts(html, session);
        html.append(tables(MarkdownReport.latency(session)));

        html.append("<h2>Transports</h2>\n<ul>\n");
        for (final TransportSpec transport : session.transports)
        {
            html.append("<li><b>").append(escape(transport.label())).append("</b> (<code>")
                .append(escape(transport.uriTemplate())).append("</code>): ").append(escape(transport.note()))
                .append("</li>\n");
        }
        html.append("</ul>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void throughputCharts(final StringBuilder html, final BenchSession session)
    {
        final TransportSpec reference = session.reference();
        for (final BenchSession.Shape shape : session.throughputShapes)
        {
            final List<SvgCharts.Bar> bars = new ArrayList<>();
            for (int i = 0; i < session.transports.size(); i++)
            {
                final TransportSpec transport = session.transports.get(i);
                final double[] values = session.throughputs(transport, shape);
                if (values.length == 0)
                {
                    continue;
                }
                final double median = BenchSession.median(values);
                final double ratio = MarkdownReport.ratio(session, transport, shape, reference, median);
                bars.add(new SvgCharts.Bar(transport.label(), colour(i), median, values[0], values[values.length - 1],
                    MarkdownReport.rate(median) + " msg/s" +
                    (Double.isNaN(ratio) ? "" : String.format(" (%.2fx Herz)", ratio))));
            }
            html.append(SvgCharts.barChart("throughput-chart", "data-shape=\"" + escape(shape.key()) + "\"",
                "Throughput, " + shape.title() + ", messages checked for loss and order", bars));
        }
    }

    private static void latencyCharts(final StringBuilder html, final BenchSession session)
    {
        for (final BenchSession.Shape shape : session.latencyShapes)
        {
            final List<SvgCharts.Series> series = new ArrayList<>();
            for (int i = 0; i < session.transports.size(); i++)
            {
                final TransportSpec transport = session.transports.get(i);
                final Histogram intended = session.merged(transport, shape, true);
                if (intended == null)
                {
                    continue;
                }
                final long rate = session.of(transport, shape).get(0).scenario.rate();
                final String rateText = "max".equalsIgnoreCase(shape.rateName()) ?
                    " @ " + MarkdownReport.rate(rate) + "/s" : "";
                series.add(new SvgCharts.Series(transport.label() + rateText, colour(i), intended, ""));
                series.add(new SvgCharts.Series(transport.label() + ", from stamp", colour(i),
                    session.merged(transport, shape, false), "6,4"));
            }
            series.add(new SvgCharts.Series("machine noise (clock-spin gaps)", "#999", session.noiseBefore, "2,3"));
            html.append(SvgCharts.percentileChart("latency-chart", "data-rate=\"" + escape(shape.rateName()) +
                "\" data-size=\"" + shape.length() + "\"", "Latency at " +
                BenchSession.rateTitle(shape.rateName()) + ", " + shape.length() + " B, 1 producer", series));
        }
    }

    private static String colour(final int index)
    {
        return SvgCharts.COLOURS[index % SvgCharts.COLOURS.length];
    }

    private static void meta(final StringBuilder html, final String name, final String value)
    {
        html.append("<li><b>").append(escape(name)).append(":</b> ").append(escape(value)).append("</li>\n");
    }

    /**
     * @param markdown a section of {@link MarkdownReport}: a {@code ###} heading and one table.
     * @return the same as HTML.
     */
    static String tables(final String markdown)
    {
        final StringBuilder html = new StringBuilder();
        boolean inTable = false;
        boolean header = false;
        for (final String line : markdown.split("\n"))
        {
            if (line.startsWith("### "))
            {
                html.append("<h3>").append(inline(line.substring(4))).append("</h3>\n");
            }
            else if (line.startsWith("|"))
            {
                if (!inTable)
                {
                    html.append("<table>\n");
                    inTable = true;
                    header = true;
                }
                if (line.startsWith("|---"))
                {
                    continue;
                }
                final String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
                html.append("<tr>");
                for (final String cell : cells)
                {
                    html.append(header ? "<th>" : "<td>").append(inline(cell.trim()))
                        .append(header ? "</th>" : "</td>");
                }
                html.append("</tr>\n");
                header = false;
            }
            else if (inTable)
            {
                html.append("</table>\n");
                inTable = false;
            }
        }
        if (inTable)
        {
            html.append("</table>\n");
        }
        return html.toString();
    }

    private static String inline(final String text)
    {
        return escape(text).replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>").replaceAll("`(.+?)`", "<code>$1</code>");
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The session as Markdown, for README and the terminal: the machine, the noise baselines, throughput per shape
 * (median over rounds with min..max, and the ratio of each transport's median to Herz's from the same run), latency
 * per rate (rounds merged) from the intended send time and from the send stamp.
 */
final class MarkdownReport
{
    private MarkdownReport()
    {
    }

    static String render(final BenchSession session)
    {
        final StringBuilder out = new StringBuilder();
        final MachineInfo machine = session.machine;
        out.append("## herz bench: ").append(machine.title()).append("\n\n");
        out.append("- machine: ").append(machine.processors()).append(" x ").append(machine.cpu()).append(", ")
            .append(machine.os()).append('\n');
        out.append("- JDK: ").append(machine.jdk()).append("; child JVM flags: `").append(machine.jvmFlags())
            .append("`\n");
        out.append("- started ").append(machine.date()).append(", finished ").append(session.finishedAt)
            .append("; ").append(machine.uptime()).append(" before, load average ").append(session.loadAfter)
            .append(" after\n");
        out.append("- command: `herz bench ").append(String.join(" ", session.options.commandLine)).append("`; ")
            .append(session.options.rounds).append(session.options.rounds == 1 ? " round" : " rounds")
            .append(", idle ").append(session.options.idle).append(", ring capacity ")
            .append(session.options.capacity).append(" B\n");
        for (final Map.Entry<String, String> skipped : session.skipped.entrySet())
        {
            out.append("- skipped ").append(skipped.getKey()).append(": ").append(skipped.getValue()).append('\n');
        }
        out.append('\n');

        out.append(noise(session)).append(throughput(session)).append(latency(session));
        out.append("Every message of every run was checked by its consumer (producer id, per-producer sequence, ")
            .append("length, payload): ").append(session.allChecked() ? "no message lost, repeated or reordered." :
                "**NOT ALL: see the failed runs**.").append('\n');
        return out.toString();
    }

    static String noise(final BenchSession session)
    {
        final StringBuilder out = new StringBuilder();
        out.append("### Machine noise (").append(session.machine.processors())
            .append(" threads spinning on System.nanoTime(), gap between reads)\n\n");
        out.append("| when | p50 | p99 | p99.9 | max | gaps > 10 us | reads |\n|---|---|---|---|---|---|---|\n");
        noiseRow(out, "before", session.noiseBefore);
        noiseRow(out, "after", session.noiseAfter);
        out.append('\n');
        return out.toString();
    }

    private static void noiseRow(final StringBuilder out, final String when, final Histogram noise)
    {
        final long total = noise.getTotalCount();
        final long over = total - noise.getCountBetweenValues(0, 10_000);
        out.append("| ").append(when).append(" | ").append(us(noise.getValueAtPercentile(50))).append(" | ")
            .append(us(noise.getValueAtPercentile(99))).append(" | ").append(us(noise.getValueAtPercentile(99.9)))
            .append(" | ").append(us(noise.getMaxValue())).append(" | ").append(String.format("%,d", over))
            .append(" | ").append(String.format("%,d", total)).append(" |\n");
    }

    static String throughput(final BenchSession session)
    {
        final StringBuilder out = new StringBuilder();
        out.append("### Throughput, messages/s (median over rounds, min..max; x = median / Herz's median)\n\n");
        out.append("| transport |");
        for (final BenchSession.Shape shape : session.throughputShapes)
        {
            out.append(' ').append(shape.title()).append(" |");
        }
        out.append("\n|---|").append("---|".repeat(session.throughputShapes.size())).append('\n');
        final TransportSpec reference = session.reference();
        for (final TransportSpec transport : session.transports)
        {
            out.append("| ").append(transport.label()).append(" |");
            for (final BenchSession.Shape shape : session.throughputShapes)
            {
                out.append(' ').append(throughputCell(session, transport, shape, reference)).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
        return out.toString();
    }

    static String throughputCell(
        final BenchSession session, final TransportSpec transport, final BenchSession.Shape shape,
        final TransportSpec reference)
    {
        if (shape.producers() > transport.maxProducers())
        {
            return "n/a (1 producer only)";
        }
        final double[] values = session.throughputs(transport, shape);
        if (values.length == 0)
        {
            return session.of(transport, shape).isEmpty() ? "-" : "FAILED";
        }
        final double median = BenchSession.median(values);
        final StringBuilder cell = new StringBuilder(rate(median));
        if (values.length > 1)
        {
            cell.append(" (").append(rate(values[0])).append("..").append(rate(values[values.length - 1])).append(')');
        }
        final double ratio = ratio(session, transport, shape, reference, median);
        if (!Double.isNaN(ratio))
        {
            cell.append(String.format(" %.2fx", ratio));
        }
        return cell.toString();
    }

    static double ratio(
        final BenchSession session, final TransportSpec transport, final BenchSession.Shape shape,
        final TransportSpec reference, final double median)
    {
        if (reference == null || reference == transport)
        {
            return Double.NaN;
        }
        final double referenceMedian = BenchSession.median(session.throughputs(reference, shape));
        return referenceMedian > 0 ? median / referenceMedian : Double.NaN;
    }

    static String latency(final BenchSession session)
    {
        final StringBuilder out = new StringBuilder();
        out.append("### One-way latency, us (rounds merged): from the intended send time of a fixed-rate schedule ")
            .append("(no coordinated omission), and p50/p99 from the send stamp\n\n");
        out.append("| shape | transport | rate, msg/s | p50 | p90 | p99 | p99.9 | max | mean | p99 over rounds | ")
            .append("stamp p50 | stamp p99 |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final BenchSession.Shape shape : session.latencyShapes)
        {
            for (final TransportSpec transport : session.transports)
            {
                final Histogram intended = session.merged(transport, shape, true);
                final Histogram stamp = session.merged(transport, shape, false);
                out.append("| ").append(shape.title()).append(" | ").append(transport.label()).append(" | ");
                if (intended == null)
                {
                    out.append(session.of(transport, shape).isEmpty() ? "-" : "FAILED")
                        .append(" | | | | | | | | | |\n");
                    continue;
                }
                final double[] p99s = session.p99s(transport, shape);
                out.append(String.format("%,d", session.of(transport, shape).get(0).scenario.rate())).append(" | ")
                    .append(us(intended.getValueAtPercentile(50))).append(" | ")
                    .append(us(intended.getValueAtPercentile(90))).append(" | ")
                    .append(us(intended.getValueAtPercentile(99))).append(" | ")
                    .append(us(intended.getValueAtPercentile(99.9))).append(" | ")
                    .append(us(intended.getMaxValue())).append(" | ")
                    .append(us((long)intended.getMean())).append(" | ")
                    .append(p99s.length > 1 ? us((long)p99s[0]) + ".." + us((long)p99s[p99s.length - 1]) : "-")
                    .append(" | ").append(us(stamp.getValueAtPercentile(50))).append(" | ")
                    .append(us(stamp.getValueAtPercentile(99))).append(" |\n");
            }
        }
        out.append('\n');
        return out.toString();
    }

    static String us(final long nanos)
    {
        final double micros = nanos / 1e3;
        return micros >= 100 ? String.format("%,.0f", micros) : micros >= 10 ? String.format("%.1f", micros) :
            String.format("%.2f", micros);
    }

    static String rate(final double perSecond)
    {
        return perSecond >= 1e6 ? String.format("%.2fM", perSecond / 1e6) : String.format("%.0fk", perSecond / 1e3);
    }
}

package io.herz.bench.ipc;

import io.herz.bench.ring.RingPeer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders scenario results as Markdown: per measurement and producer count, each peer's median with the spread
 * (min..max) over runs, and the ratio of each peer's median to Agrona's.
 */
final class ResultTable
{
    private ResultTable()
    {
    }

    /**
     * @param results        every scenario of the session.
     * @param producerCounts producer counts in the order to show.
     * @param peers          peers in the order to show.
     * @param rate           paced rate of the latency scenarios, for the row labels.
     * @return the Markdown table.
     */
    static String render(
        final List<ScenarioResult> results, final List<Integer> producerCounts, final List<RingPeer> peers,
        final long rate)
    {
        final StringBuilder out = new StringBuilder();
        out.append("| measurement | producers |");
        for (final RingPeer peer : peers)
        {
            out.append(' ').append(label(peer)).append(" median (min..max) |");
        }
        final List<RingPeer> ratioPeers = new ArrayList<>();
        if (peers.contains(RingPeer.AGRONA))
        {
            for (final RingPeer peer : peers)
            {
                if (peer != RingPeer.AGRONA)
                {
                    ratioPeers.add(peer);
                    out.append(' ').append(shortLabel(peer)).append("/Agrona |");
                }
            }
        }
        out.append(System.lineSeparator()).append("|---|---|");
        out.append("---|".repeat(peers.size() + ratioPeers.size())).append(System.lineSeparator());

        final String latency = String.format("at %,d msg/s", rate);
        for (final int producers : producerCounts)
        {
            row(out, results, peers, ratioPeers, producers, "throughput, msg/s (higher is better)",
                ScenarioResult.Mode.THROUGHPUT, r -> r.throughput, 1e6, "M");
            row(out, results, peers, ratioPeers, producers, "refused claims in throughput runs (ring full)",
                ScenarioResult.Mode.THROUGHPUT, r -> r.backPressured, 1, "");
            row(out, results, peers, ratioPeers, producers, "latency p50, us " + latency,
                ScenarioResult.Mode.LATENCY, r -> r.p50Ns, 1e3, "");
            row(out, results, peers, ratioPeers, producers, "latency p99, us " + latency,
                ScenarioResult.Mode.LATENCY, r -> r.p99Ns, 1e3, "");
            row(out, results, peers, ratioPeers, producers, "latency p99.9, us " + latency,
                ScenarioResult.Mode.LATENCY, r -> r.p999Ns, 1e3, "");
            row(out, results, peers, ratioPeers, producers, "latency max, us " + latency,
                ScenarioResult.Mode.LATENCY, r -> r.maxNs, 1e3, "");
        }
        return out.toString();
    }

    private static void row(
        final StringBuilder out, final List<ScenarioResult> results, final List<RingPeer> peers,
        final List<RingPeer> ratioPeers, final int producers, final String name, final ScenarioResult.Mode mode,
        final ToDoubleFunction<ScenarioResult> metric, final double scale, final String suffix)
    {
        out.append("| ").append(name).append(" | ").append(producers).append(" |");
        final Map<RingPeer, Double> medians = new EnumMap<>(RingPeer.class);
        for (final RingPeer peer : peers)
        {
            final double[] values = values(results, peer, mode, producers, metric);
            if (values.length == 0)
            {
                out.append(" - |");
                continue;
            }
            final double median = median(values);
            medians.put(peer, median);
            out.append(' ').append(format(median / scale, suffix)).append(" (")
                .append(format(values[0] / scale, suffix)).append("..")
                .append(format(values[values.length - 1] / scale, suffix)).append(") |");
        }
        final Double agrona = medians.get(RingPeer.AGRONA);
        for (final RingPeer peer : ratioPeers)
        {
            final Double value = medians.get(peer);
            out.append(value == null || agrona == null || agrona == 0 ?
                " - |" : String.format(" %.2fx |", value / agrona));
        }
        out.append(System.lineSeparator());
    }

    /**
     * @return the metric of every matching result, sorted ascending.
     */
    private static double[] values(
        final List<ScenarioResult> results, final RingPeer peer, final ScenarioResult.Mode mode, final int producers,
        final ToDoubleFunction<ScenarioResult> metric)
    {
        final List<Double> values = new ArrayList<>();
        for (final ScenarioResult result : results)
        {
            if (result.peer == peer && result.mode == mode && result.producers == producers)
            {
                values.add(metric.applyAsDouble(result));
            }
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * @param sorted ascending, not empty.
     * @return the middle value, or the mean of the two middle values.
     */
    static double median(final double[] sorted)
    {
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String format(final double value, final String suffix)
    {
        return String.format(value >= 100 ? "%.0f%s" : value >= 10 ? "%.1f%s" : "%.2f%s", value, suffix);
    }

    private static String shortLabel(final RingPeer peer)
    {
        return peer == RingPeer.HERZ ? "Herz" : peer == RingPeer.AGRONA ? "Agrona" :
            peer == RingPeer.HERZ_BATCH ? "batch" : peer == RingPeer.HERZ_SAMPLED_CLOCK ? "sampled" : peer.name();
    }

    private static String label(final RingPeer peer)
    {
        return peer == RingPeer.HERZ ? "Herz" : peer == RingPeer.AGRONA ? "Agrona" :
            peer == RingPeer.HERZ_BATCH ? "Herz batch claim (EXPERIMENTAL)" :
            peer == RingPeer.HERZ_SAMPLED_CLOCK ? "Herz sampled clock (EXPERIMENTAL)" : peer.name();
    }
}

package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code herz bench} run produced, for the reports: the machine, the options, the noise baselines,
 * the transports that ran and those skipped (with the reason), every scenario result, and the 'max' rate each
 * transport got.
 */
final class BenchSession
{
    /** A shape of scenario that every transport runs once per round. */
    record Shape(Scenario.Mode mode, int length, int producers, String rateName)
    {
        String key()
        {
            return mode == Scenario.Mode.THROUGHPUT ?
                "throughput " + length + "B " + producers + "p" :
                "latency " + length + "B " + producers + "p " + rateName;
        }

        String title()
        {
            return mode == Scenario.Mode.THROUGHPUT ?
                length + " B, " + producers + (producers == 1 ? " producer" : " producers") :
                length + " B at " + rateTitle(rateName);
        }
    }

    final BenchOptions options;
    final MachineInfo machine;
    final List<TransportSpec> transports = new ArrayList<>();
    final Map<String, String> skipped = new LinkedHashMap<>();
    final List<Shape> throughputShapes = new ArrayList<>();
    final List<Shape> latencyShapes = new ArrayList<>();
    final List<ScenarioResult> results = new ArrayList<>();
    final Map<String, Long> maxRates = new LinkedHashMap<>();
    Histogram noiseBefore;
    Histogram noiseAfter;
    String loadAfter = "unknown";
    String finishedAt = "";

    BenchSession(final BenchOptions options, final MachineInfo machine)
    {
        this.options = options;
        this.machine = machine;
    }

    static String rateTitle(final String rateName)
    {
        return "max".equalsIgnoreCase(rateName) ? "near each transport's maximum" : rateName + " msg/s";
    }

    /**
     * @return the latency rates in the order given, each once (one chart per rate).
     */
    List<String> rateNames()
    {
        final List<String> names = new ArrayList<>();
        for (final Shape shape : latencyShapes)
        {
            if (!names.contains(shape.rateName()))
            {
                names.add(shape.rateName());
            }
        }
        return names;
    }

    List<ScenarioResult> of(final TransportSpec transport, final Shape shape)
    {
        final List<ScenarioResult> matching = new ArrayList<>();
        for (final ScenarioResult result : results)
        {
            if (result.scenario.transport().name().equals(transport.name()) &&
                result.scenario.shape().equals(shape.key()))
            {
                matching.add(result);
            }
        }
        return matching;
    }

    /**
     * @return the throughput of every checked round, ascending; empty when none.
     */
    double[] throughputs(final TransportSpec transport, final Shape shape)
    {
        return of(transport, shape).stream().filter(ScenarioResult::isAllChecked)
            .mapToDouble(result -> result.throughput).sorted().toArray();
    }

    /**
     * @param fromIntended true for latency from the intended send time, false from the send stamp.
     * @return the histograms of every checked round added together, or null when none.
     */
    Histogram merged(final TransportSpec transport, final Shape shape, final boolean fromIntended)
    {
        Histogram merged = null;
        for (final ScenarioResult result : of(transport, shape))
        {
            if (result.isAllChecked())
            {
                final Histogram histogram = fromIntended ? result.fromIntended : result.fromStamp;
                if (merged == null)
                {
                    merged = histogram.copy();
                }
                else
                {
                    merged.add(histogram);
                }
            }
        }
        return merged;
    }

    /**
     * @return the p99 from the intended time of every checked round, ascending.
     */
    double[] p99s(final TransportSpec transport, final Shape shape)
    {
        return of(transport, shape).stream().filter(ScenarioResult::isAllChecked)
            .mapToDouble(result -> result.fromIntended.getValueAtPercentile(99)).sorted().toArray();
    }

    TransportSpec reference()
    {
        return transports.stream().filter(t -> t.name().equals(TransportSpec.REFERENCE)).findFirst().orElse(null);
    }

    boolean allChecked()
    {
        return !results.isEmpty() && results.stream().allMatch(ScenarioResult::isAllChecked);
    }

    static double median(final double[] sorted)
    {
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final double[] copy = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(copy);
        final int middle = copy.length / 2;
        return copy.length % 2 == 1 ? copy[middle] : (copy[middle - 1] + copy[middle]) / 2;
    }
}

package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

/**
 * What one scenario measured: from every consumer's result line (the lowest throughput and the first consumer's
 * histograms) and the producers' back-pressure counts; or why it failed.
 */
final class ScenarioResult
{
    final Scenario scenario;
    final long expected;
    final long received;
    final boolean complete;
    final long errors;
    final double throughput;
    final long backPressured;
    final Histogram fromIntended;
    final Histogram fromStamp;
    final String failure;

    private ScenarioResult(
        final Scenario scenario, final long expected, final long received, final boolean complete, final long errors,
        final double throughput, final long backPressured, final Histogram fromIntended, final Histogram fromStamp,
        final String failure)
    {
        this.scenario = scenario;
        this.expected = expected;
        this.received = received;
        this.complete = complete;
        this.errors = errors;
        this.throughput = throughput;
        this.backPressured = backPressured;
        this.fromIntended = fromIntended;
        this.fromStamp = fromStamp;
        this.failure = failure;
    }

    /**
     * @param scenario      what ran.
     * @param consumers     each consumer's result line.
     * @param backPressured refused claims over all producers.
     * @return the result.
     */
    static ScenarioResult of(final Scenario scenario, final BenchArgs[] consumers, final long backPressured)
    {
        long expected = 0;
        long received = Long.MAX_VALUE;
        boolean complete = true;
        long errors = 0;
        double throughput = Double.MAX_VALUE;
        for (final BenchArgs consumer : consumers)
        {
            expected = consumer.longValue("expected");
            received = Math.min(received, consumer.longValue("received"));
            complete &= Boolean.parseBoolean(consumer.string("complete"));
            errors += consumer.longValue("errors");
            throughput = Math.min(throughput, consumer.doubleValue("throughput", 0));
        }
        return new ScenarioResult(scenario, expected, received, complete, errors, throughput, backPressured,
            Histograms.decode(consumers[0].string("intended")), Histograms.decode(consumers[0].string("stamp")), null);
    }

    /**
     * @param scenario what ran.
     * @param failure  why it produced no result.
     * @return the failed result.
     */
    static ScenarioResult failed(final Scenario scenario, final String failure)
    {
        return new ScenarioResult(scenario, 0, 0, false, 0, 0, 0, null, null, failure);
    }

    /**
     * @return true if every consumer checked every message and found each exactly once, in order and intact.
     */
    boolean isAllChecked()
    {
        return failure == null && complete && errors == 0 && received == expected && expected > 0;
    }

    public String toString()
    {
        if (failure != null)
        {
            return String.format("%-40s FAILED: %s", scenario.label(), failure);
        }
        final String measured = scenario.mode() == Scenario.Mode.THROUGHPUT ?
            String.format("%,.0f msg/s", throughput) :
            String.format("at %,d msg/s from intended p50 %.2f us p99 %.2f us max %.1f us; from stamp p50 %.2f us",
                scenario.rate(), fromIntended.getValueAtPercentile(50) / 1e3,
                fromIntended.getValueAtPercentile(99) / 1e3, fromIntended.getMaxValue() / 1e3,
                fromStamp.getValueAtPercentile(50) / 1e3);
        return String.format("%-40s %s; checked %,d/%,d, errors %d, back-pressured %,d%s", scenario.label(), measured,
            received, expected, errors, backPressured, isAllChecked() ? "" : "  NOT ALL CHECKED");
    }
}

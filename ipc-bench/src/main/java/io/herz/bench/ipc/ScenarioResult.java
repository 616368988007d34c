package io.herz.bench.ipc;

import io.herz.bench.ring.RingPeer;

/**
 * What one scenario (peer, mode, producer count, run) measured, from the consumer's and producers' result lines.
 */
final class ScenarioResult
{
    /** What a scenario measures. */
    enum Mode
    {
        /** Producers send as fast as the ring takes messages. */
        THROUGHPUT,
        /** Producers send at a fixed total rate; the consumer records one-way latency. */
        LATENCY
    }

    final RingPeer peer;
    final Mode mode;
    final int producers;
    final int run;
    final long expected;
    final long received;
    final boolean complete;
    final long errors;
    final double throughput;
    final long p50Ns;
    final long p99Ns;
    final long p999Ns;
    final long maxNs;
    final long backPressured;

    ScenarioResult(
        final RingPeer peer, final Mode mode, final int producers, final int run, final BenchArgs consumer,
        final long backPressured)
    {
        this.peer = peer;
        this.mode = mode;
        this.producers = producers;
        this.run = run;
        this.expected = consumer.longValue("expected");
        this.received = consumer.longValue("received");
        this.complete = Boolean.parseBoolean(consumer.string("complete"));
        this.errors = consumer.longValue("errors");
        this.throughput = consumer.doubleValue("throughput", 0);
        this.p50Ns = consumer.longValue("p50");
        this.p99Ns = consumer.longValue("p99");
        this.p999Ns = consumer.longValue("p999");
        this.maxNs = consumer.longValue("max");
        this.backPressured = backPressured;
    }

    /**
     * @return true if the consumer checked every message and found each exactly once, in order and intact.
     */
    boolean isAllChecked()
    {
        return complete && errors == 0 && received == expected;
    }

    public String toString()
    {
        final String measured = mode == Mode.THROUGHPUT ?
            String.format("%,.0f msg/s", throughput) :
            String.format("p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.2f us",
                p50Ns / 1e3, p99Ns / 1e3, p999Ns / 1e3, maxNs / 1e3);
        return String.format("run %d %-6s %-10s %dp: %s; checked %,d/%,d, errors %d, back-pressured %,d",
            run + 1, peer, mode, producers, measured, received, expected, errors, backPressured);
    }
}

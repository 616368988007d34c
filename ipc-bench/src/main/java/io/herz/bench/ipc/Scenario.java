package io.herz.bench.ipc;

/**
 * One measurement of one transport: a mode, a message length, a producer count and, for latency, the total rate.
 *
 * @param transport the row.
 * @param mode      throughput or latency.
 * @param length    message bytes.
 * @param producers producer processes.
 * @param rate      total messages per second of a latency run (0 for throughput).
 * @param rateName  the rate as the report groups it ({@code 100k}, {@code 1M}, {@code max}); empty for throughput.
 * @param round     0-based repetition.
 */
record Scenario(TransportSpec transport, Mode mode, int length, int producers, long rate, String rateName, int round)
{
    /** What a scenario measures. */
    enum Mode
    {
        /** Producers send as fast as the transport takes messages. */
        THROUGHPUT,
        /** Producers send on a fixed-rate schedule; consumers record one-way latency. */
        LATENCY
    }

    /**
     * @return the part of the result that rounds share: e.g. {@code throughput 64B 2p} or {@code latency 64B 1M}.
     */
    String shape()
    {
        return mode == Mode.THROUGHPUT ?
            "throughput " + length + "B " + producers + "p" :
            "latency " + length + "B " + producers + "p " + rateName;
    }

    /**
     * @return a name for files and logs, unique in a session.
     */
    String label()
    {
        return String.format("r%d-%s-%s-%dB-%dp%s", round + 1, transport.name(), mode.name().toLowerCase(), length,
            producers, mode == Mode.LATENCY ? "-" + rateName : "");
    }
}

package io.herz.bench.ipc;

import io.herz.bench.ring.BenchConsumer;
import io.herz.bench.ring.BenchRing;
import io.herz.bench.ring.RingPeer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.Set;

/**
 * The consumer JVM of the multi-process benchmark. Maps the ring, takes the consumer role, says READY, waits for GO,
 * then reads until every producer's every message has arrived (each one checked by {@link MessageChecker}) or
 * {@code --timeout-ms} passes. Throughput is measured by this process from the arrival of the last warm-up message
 * to the arrival of the last message; latency from each message's stamp to its delivery here.
 * <p>
 * Exits 0 when every message arrived exactly once, in per-producer order, intact; 2 otherwise.
 */
public final class IpcConsumerMain
{
    private IpcConsumerMain()
    {
    }

    /**
     * @param args {@code --peer herz|agrona --file PATH --producers N --messages PER_PRODUCER --warmup PER_PRODUCER
     *             [--latency] [--idle NAME] [--timeout-ms MS]}.
     * @throws Exception on any failure; the runner sees a non-zero exit.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = BenchArgs.parseOptions(args,
            Set.of("peer", "file", "producers", "messages", "warmup", "latency", "idle", "timeout-ms"),
            Set.of("latency"));
        final RingPeer peer = RingPeer.byName(options.string("peer"));
        final int producers = (int)options.longValue("producers");
        final long messages = options.longValue("messages");
        final long warmup = options.longValue("warmup");
        final long timeoutNs = options.longValue("timeout-ms", 120_000) * 1_000_000L;
        final IdleStrategy idle = io.herz.ipc.idle.IdleStrategies.of(options.string("idle", "yielding"));
        final MessageChecker checker = new MessageChecker(producers, warmup, options.has("latency"));
        final long expected = messages * producers;

        try (BenchRing ring = peer.open(Path.of(options.string("file")));
            BenchConsumer consumer = ring.consumer())
        {
            ChildProtocol.readyAndAwaitGo();
            final long deadlineNs = System.nanoTime() + timeoutNs;
            int emptyPolls = 0;
            while (checker.received() < expected)
            {
                final int count = consumer.read(checker, Integer.MAX_VALUE);
                idle.idle(count);
                if (count == 0 && (++emptyPolls & 1023) == 0 && System.nanoTime() - deadlineNs > 0)
                {
                    break;
                }
            }
            final long endNs = System.nanoTime();
            report(checker, messages, expected, endNs);
        }
        System.exit(checker.isComplete(messages) && checker.errors() == 0 ? 0 : 2);
    }

    private static void report(final MessageChecker checker, final long messages, final long expected, final long endNs)
    {
        final long measured = checker.received() - checker.warmupTotal();
        final long elapsedNs = endNs - checker.measuredStartNs();
        final double throughput = checker.measuredStartNs() == 0 || elapsedNs <= 0 ? 0 : measured * 1e9 / elapsedNs;
        final Histogram histogram = checker.histogram();
        final StringBuilder line = new StringBuilder()
            .append("expected=").append(expected)
            .append(" received=").append(checker.received())
            .append(" complete=").append(checker.isComplete(messages))
            .append(" errors=").append(checker.errors())
            .append(" measured=").append(measured)
            .append(" elapsedNs=").append(elapsedNs)
            .append(" throughput=").append(String.format("%.0f", throughput))
            .append(" latencyCount=").append(histogram.getTotalCount())
            .append(" p50=").append(histogram.getValueAtPercentile(50))
            .append(" p99=").append(histogram.getValueAtPercentile(99))
            .append(" p999=").append(histogram.getValueAtPercentile(99.9))
            .append(" max=").append(histogram.getMaxValue());
        ChildProtocol.result(line.toString());
        if (checker.errors() > 0)
        {
            System.out.println("first error: " + checker.firstError());
        }
    }
}

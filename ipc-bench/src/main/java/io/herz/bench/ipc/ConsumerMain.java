package io.herz.bench.ipc;

import io.herz.ipc.idle.IdleStrategies;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.IdleStrategy;

import java.util.Set;

/**
 * A consumer JVM of the benchmark. Creates (or joins) the stream through {@link Transports} under its consumer name,
 * says READY, waits for GO, then polls until every producer's every message has arrived, each one checked by
 * {@link MessageChecker}, or {@code --timeout-ms} passes. Throughput is measured here, from the arrival of the last
 * warm-up message to the arrival of the last message. Reports one {@code RESULT} line with both latency histograms
 * (base64) and exits 0; the runner judges completeness.
 */
public final class ConsumerMain
{
    private static final int POLL_LIMIT = 4096;

    private ConsumerMain()
    {
    }

    /**
     * @param args {@code --uri URI --consumer-name NAME --producers N --messages PER_PRODUCER --length BYTES
     *             --warmup PER_PRODUCER [--latency] [--idle NAME] [--timeout-ms MS] [--capacity BYTES]}.
     * @throws Exception on any failure; the runner sees a non-zero exit.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = BenchArgs.parseOptions(args, Set.of("uri", "consumer-name", "producers",
            "messages", "length", "warmup", "latency", "idle", "timeout-ms", "capacity"), Set.of("latency"));
        final int producers = (int)options.longValue("producers");
        final long messages = options.longValue("messages");
        final int length = (int)options.longValue("length");
        final long timeoutNs = options.longValue("timeout-ms", 120_000) * 1_000_000L;
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "yielding"));
        final MessageChecker checker = new MessageChecker(
            producers, length, options.longValue("warmup"), options.has("latency"));
        final long expected = messages * producers;
        final SubscriptionOptions subscriptionOptions = new SubscriptionOptions()
            .consumerName(options.string("consumer-name", SubscriptionOptions.DEFAULT_CONSUMER_NAME))
            .create(true)
            .segmentConfig(new SegmentConfig().capacity(options.longValue("capacity", 1 << 20)));

        try (Subscription subscription = Transports.subscription(options.string("uri"), subscriptionOptions))
        {
            ChildProtocol.readyAndAwaitGo();
            final long deadlineNs = System.nanoTime() + timeoutNs;
            int emptyPolls = 0;
            while (checker.received() < expected)
            {
                final int count = subscription.poll(checker, POLL_LIMIT);
                idle.idle(count);
                if (count == 0 && (++emptyPolls & 1023) == 0 && System.nanoTime() - deadlineNs > 0)
                {
                    break;
                }
            }
            report(checker, messages, expected, System.nanoTime());
        }
    }

    private static void report(final MessageChecker checker, final long messages, final long expected, final long endNs)
    {
        final long measured = checker.received() - checker.warmupTotal();
        final long elapsedNs = endNs - checker.measuredStartNs();
        final double throughput = checker.measuredStartNs() == 0 || elapsedNs <= 0 ? 0 : measured * 1e9 / elapsedNs;
        if (checker.errors() > 0)
        {
            System.out.println("first error: " + checker.firstError());
        }
        ChildProtocol.result("expected=" + expected +
            " received=" + checker.received() +
            " complete=" + checker.isComplete(messages) +
            " errors=" + checker.errors() +
            " elapsedNs=" + elapsedNs +
            " throughput=" + String.format("%.0f", throughput) +
            " intended=" + Histograms.encode(checker.fromIntended()) +
            " stamp=" + Histograms.encode(checker.fromStamp()));
    }
}

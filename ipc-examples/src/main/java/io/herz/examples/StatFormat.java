package io.herz.examples;

import io.herz.examples.monitor.RingView;

/**
 * Text rendering of {@link RingView}s for {@code herz stat}, with rates computed between two snapshots.
 */
final class StatFormat
{
    private StatFormat()
    {
    }

    static void append(final StringBuilder sb, final RingView now, final RingView before)
    {
        sb.append(now.path()).append('\n');
        sb.append(String.format("  capacity %,d B  head %,d  tail %,d  lag %,d B (%.1f%%)  unblocked %,d (%,d B)%n",
            now.capacity(), now.headPosition(), now.tailPosition(), now.lagBytes(),
            100.0 * now.lagBytes() / now.capacity(), now.unblockedRecords(), now.unblockedBytes()));
        final RingView.ConsumerView slowest = now.slowestConsumer();
        sb.append("  ").append(now.describeSlowest()).append('\n');
        for (final RingView.ConsumerView consumer : now.consumers())
        {
            sb.append(String.format("  consumer %s pid %s  position %,d  lag %,d B  consumed %,d  rate %s/s%s%s%n",
                consumer.name(), pid(consumer.pid(), consumer.alive()), consumer.position(), now.lagBytes(consumer),
                consumer.recordsConsumed(), rate(now.recordsPerSecond(before, consumer)),
                consumer.dropAfterMs() == 0 ? "" : String.format("  drop after %,d ms", consumer.dropAfterMs()),
                consumer == slowest && now.consumers().size() > 1 ? "  (slowest)" : ""));
        }
        for (final RingView.ProducerView producer : now.producers())
        {
            sb.append(String.format("  producer slot %d id %d pid %s  records %,d  bytes %,d  rate %s/s  " +
                "back-pressure %,d  lost claims %,d%n",
                producer.slot(), producer.producerId(), pid(producer.pid(), producer.alive()),
                producer.recordsOffered(), producer.bytesOffered(), rate(now.recordsPerSecond(before, producer)),
                producer.backPressureCount(), producer.lostClaims()));
        }
        for (final RingView.CounterView counter : now.counters())
        {
            sb.append(String.format("  %s: %,d%n", counter.label(), counter.value()));
        }
    }

    static String pid(final long pid, final boolean alive)
    {
        return pid == 0 ? "-" : pid + (alive ? "" : " (dead)");
    }

    private static String rate(final double rate)
    {
        return Double.isNaN(rate) ? "-" : String.format("%,.0f", rate);
    }
}

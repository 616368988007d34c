package io.herz.examples;

import io.herz.ipc.status.SegmentStatus;

import java.util.Map;

/**
 * Text rendering of {@link SegmentStatus} snapshots, with rates computed between two snapshots.
 */
final class StatFormat
{
    private StatFormat()
    {
    }

    static void append(final StringBuilder sb, final SegmentStatus now, final SegmentStatus before)
    {
        final double seconds = before == null ? 0 : (now.capturedNs() - before.capturedNs()) / 1e9;
        sb.append(now.path()).append('\n');
        sb.append(String.format("  capacity %,d B  head %,d  tail %,d  lag %,d B (%.1f%%)%n",
            now.capacity(), now.headPosition(), now.tailPosition(), now.lagBytes(),
            100.0 * now.lagBytes() / now.capacity()));
        sb.append(String.format("  consumer pid %s  consumed %,d  rate %s/s  unblocked %,d (%,d B)%n",
            now.consumerPid() == 0 ? "-" : now.consumerPid() + (now.consumerAlive() ? "" : " (dead)"),
            now.recordsConsumed(),
            rate(now.recordsConsumed(), before == null ? -1 : before.recordsConsumed(), seconds),
            now.unblockedRecords(), now.unblockedBytes()));
        for (final SegmentStatus.ProducerStatus producer : now.producers())
        {
            final SegmentStatus.ProducerStatus old = before == null ? null : find(before, producer.slot());
            sb.append(String.format("  producer slot %d id %d pid %d%s  records %,d  rate %s/s  back-pressure %,d%n",
                producer.slot(), producer.producerId(), producer.pid(), producer.alive() ? "" : " (dead)",
                producer.recordsOffered(),
                rate(producer.recordsOffered(), old == null ? -1 : old.recordsOffered(), seconds),
                producer.backPressureCount()));
        }
        for (final Map.Entry<String, Long> counter : now.counters().entrySet())
        {
            sb.append(String.format("  %s: %,d%n", counter.getKey(), counter.getValue()));
        }
    }

    private static SegmentStatus.ProducerStatus find(final SegmentStatus status, final int slot)
    {
        for (final SegmentStatus.ProducerStatus producer : status.producers())
        {
            if (producer.slot() == slot)
            {
                return producer;
            }
        }
        return null;
    }

    private static String rate(final long now, final long before, final double seconds)
    {
        return before < 0 || seconds <= 0 ? "-" : String.format("%,.0f", (now - before) / seconds);
    }
}

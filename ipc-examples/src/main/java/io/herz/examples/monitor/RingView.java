package io.herz.examples.monitor;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.status.SegmentStatus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the monitors ({@code herz stat}, {@code herz ls}, {@link HerzMetricsExporter}) show of one ring: a view of a
 * {@link SegmentStatus} snapshot with a list of named consumers and a list of producers, so that every output
 * format is written once for any number of consumers. Layout version 2: every registered consumer name, in slot
 * order; the slowest of them ({@link #slowestConsumer()}) is the one holding the producers back.
 *
 * @param path             absolute path of the segment file.
 * @param capturedNs       {@link System#nanoTime()} of the snapshot.
 * @param capturedEpochMs  wall-clock time of the snapshot, to age heartbeats.
 * @param capacity         bytes of the data area.
 * @param headPosition     position of the slowest consumer: space below it may be reused.
 * @param tailPosition     producers' claim position.
 * @param unblockedRecords records of dead producers turned into padding.
 * @param unblockedBytes   bytes of those records.
 * @param consumers        the ring's consumers, by name.
 * @param producers        the registered producer slots.
 * @param counters         the named counters in the segment's counters region, in id order.
 */
public record RingView(
    String path,
    long capturedNs,
    long capturedEpochMs,
    int capacity,
    long headPosition,
    long tailPosition,
    long unblockedRecords,
    long unblockedBytes,
    List<ConsumerView> consumers,
    List<ProducerView> producers,
    List<CounterView> counters)
{
    /**
     * One named consumer of the ring.
     *
     * @param name            consumer name.
     * @param pid             pid of the process attached to it, 0 if none.
     * @param alive           whether that process runs (a holder that cannot be inspected counts as alive).
     * @param liveness        what is known of that process.
     * @param position        position up to which it has read and released.
     * @param recordsConsumed records it delivered.
     * @param heartbeatMs     its last heartbeat, epoch ms (0 if never).
     * @param dropAfterMs     opt-in drop timeout, 0 when it holds the ring for ever.
     */
    public record ConsumerView(String name, long pid, boolean alive, ProcessIdentity.Liveness liveness,
        long position, long recordsConsumed, long heartbeatMs, long dropAfterMs)
    {
    }

    /**
     * One registered producer slot.
     *
     * @param slot              slot index.
     * @param producerId        application id, -1 when not set.
     * @param pid               owner process id.
     * @param alive             whether that process runs (a holder that cannot be inspected counts as alive).
     * @param liveness          what is known of that process.
     * @param heartbeatMs       last heartbeat, epoch ms.
     * @param recordsOffered    records committed.
     * @param bytesOffered      payload bytes committed.
     * @param backPressureCount claims refused for lack of space.
     * @param lostClaims        claims unblocked by a consumer before the producer committed them (reported to the
     *                          producer as lost).
     */
    public record ProducerView(int slot, int producerId, long pid, boolean alive, ProcessIdentity.Liveness liveness,
        long heartbeatMs,
        long recordsOffered, long bytesOffered, long backPressureCount, long lostClaims)
    {
    }

    /**
     * One named counter. Stages label theirs {@code "STAGE: NAME"} (e.g. {@code "aggregate: events"}); a label
     * without {@code ": "} has an empty stage and the whole label as its name.
     *
     * @param label the counter's label as stored.
     * @param stage the part before {@code ": "}, or empty.
     * @param name  the part after it, or the whole label.
     * @param value the counter's value.
     */
    public record CounterView(String label, String stage, String name, long value)
    {
        /**
         * @param label a counter label as stored in the segment.
         * @param value its value.
         * @return the view, with the label split into stage and name.
         */
        public static CounterView of(final String label, final long value)
        {
            final int colon = label.indexOf(": ");
            return colon < 0 ? new CounterView(label, "", label, value) :
                new CounterView(label, label.substring(0, colon), label.substring(colon + 2), value);
        }
    }

    /**
     * @param status a snapshot of a segment.
     * @return its view.
     */
    public static RingView of(final SegmentStatus status)
    {
        final List<ConsumerView> consumers = new ArrayList<>(status.consumers().size());
        for (final SegmentStatus.ConsumerStatus consumer : status.consumers())
        {
            consumers.add(new ConsumerView(consumer.name(), consumer.pid(), !consumer.liveness().isDead(),
                consumer.liveness(), consumer.position(), consumer.recordsConsumed(), consumer.heartbeatMs(),
                consumer.dropAfterMs()));
        }
        final List<ProducerView> producers = new ArrayList<>(status.producers().size());
        for (final SegmentStatus.ProducerStatus producer : status.producers())
        {
            producers.add(new ProducerView(producer.slot(), producer.producerId(), producer.pid(), producer.alive(),
                producer.liveness(), producer.heartbeatMs(), producer.recordsOffered(), producer.bytesOffered(),
                producer.backPressureCount(), producer.lostClaims()));
        }
        final List<CounterView> counters = new ArrayList<>(status.counters().size());
        for (final Map.Entry<String, Long> counter : status.counters().entrySet())
        {
            counters.add(CounterView.of(counter.getKey(), counter.getValue()));
        }
        return new RingView(status.path(), status.capturedNs(), System.currentTimeMillis(), status.capacity(),
            status.headPosition(), status.tailPosition(), status.unblockedRecords(), status.unblockedBytes(),
            Collections.unmodifiableList(consumers), Collections.unmodifiableList(producers),
            Collections.unmodifiableList(counters));
    }

    /**
     * @param pid      a slot holder's pid, 0 for none.
     * @param liveness what is known of it.
     * @return "alive", "dead", "in another pid namespace" or "not inspectable", for people.
     */
    public static String describe(final long pid, final ProcessIdentity.Liveness liveness)
    {
        if (pid == 0)
        {
            return "none attached";
        }
        return switch (liveness)
        {
            case ALIVE -> "alive";
            case DEAD -> "dead";
            case FOREIGN_NAMESPACE -> "in another pid namespace (never taken for dead)";
            case UNKNOWN -> "not inspectable (taken for alive)";
        };
    }

    /**
     * @return the consumer with the smallest position, the one holding the producers back (the first in slot order
     * on a tie), or null when the ring has no registered consumer.
     */
    public ConsumerView slowestConsumer()
    {
        ConsumerView slowest = null;
        for (final ConsumerView consumer : consumers)
        {
            if (slowest == null || consumer.position() < slowest.position())
            {
                slowest = consumer;
            }
        }
        return slowest;
    }

    /**
     * @return "slowest consumer: NAME (lag 1.2 MiB)", or "no consumer registered", for people.
     */
    public String describeSlowest()
    {
        final ConsumerView slowest = slowestConsumer();
        return slowest == null ? "no consumer registered" :
            "slowest consumer: " + slowest.name() + " (lag " + bytes(lagBytes(slowest)) + ")";
    }

    /**
     * @param bytes a byte count.
     * @return it in B, KiB, MiB or GiB with one decimal, e.g. "1.2 MiB".
     */
    public static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** @return bytes claimed but not yet released by the slowest consumer. */
    public long lagBytes()
    {
        return Math.max(0, tailPosition - headPosition);
    }

    /**
     * @param consumer one of this ring's consumers.
     * @return bytes claimed but not yet released by that consumer.
     */
    public long lagBytes(final ConsumerView consumer)
    {
        return Math.max(0, tailPosition - consumer.position());
    }

    /**
     * @param heartbeatMs a heartbeat, epoch ms.
     * @return its age at the time of the snapshot in ms, or -1 if there was none.
     */
    public long ageMs(final long heartbeatMs)
    {
        return heartbeatMs <= 0 ? -1 : Math.max(0, capturedEpochMs - heartbeatMs);
    }

    /** @return true if any consumer or producer process of this ring runs. */
    public boolean hasLiveOwner()
    {
        for (final ConsumerView consumer : consumers)
        {
            if (consumer.pid() != 0 && consumer.alive())
            {
                return true;
            }
        }
        for (final ProducerView producer : producers)
        {
            if (producer.alive())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Records per second of a consumer between an earlier snapshot of this ring and this one.
     *
     * @param before   an earlier view of the same ring, or null.
     * @param consumer one of this view's consumers.
     * @return the rate, or NaN when unknown (no earlier view, another process, no time between them).
     */
    public double recordsPerSecond(final RingView before, final ConsumerView consumer)
    {
        if (before == null || before.capturedNs >= capturedNs)
        {
            return Double.NaN;
        }
        for (final ConsumerView old : before.consumers)
        {
            if (old.name().equals(consumer.name()) && old.pid() == consumer.pid() &&
                old.recordsConsumed() <= consumer.recordsConsumed())
            {
                return (consumer.recordsConsumed() - old.recordsConsumed()) * 1e9 / (capturedNs - before.capturedNs);
            }
        }
        return Double.NaN;
    }

    /**
     * Records per second of a producer between an earlier snapshot of this ring and this one.
     *
     * @param before   an earlier view of the same ring, or null.
     * @param producer one of this view's producers.
     * @return the rate, or NaN when unknown.
     */
    public double recordsPerSecond(final RingView before, final ProducerView producer)
    {
        if (before == null || before.capturedNs >= capturedNs)
        {
            return Double.NaN;
        }
        for (final ProducerView old : before.producers)
        {
            if (old.slot() == producer.slot() && old.pid() == producer.pid() &&
                old.recordsOffered() <= producer.recordsOffered())
            {
                return (producer.recordsOffered() - old.recordsOffered()) * 1e9 / (capturedNs - before.capturedNs);
            }
        }
        return Double.NaN;
    }
}

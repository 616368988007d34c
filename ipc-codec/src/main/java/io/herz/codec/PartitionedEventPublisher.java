package io.herz.codec;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Publishes Events into a partitioned stream, one {@link EventPublisher} per partition: each Event goes to
 * partition {@code hash(key) mod N} ({@link Partitions}: a stable FNV-1a/fmix64 hash of the key bytes, so the same
 * key goes to the same partition from every producer and JVM), and end of stream goes to every partition.
 * <p>
 * <b>Watermarks</b>: a partition that gets none of this producer's events for a while must still see its event time
 * advance, or a windowing stage reading that partition holds its windows back (or, with an idle timeout, stops
 * waiting for this producer and later counts its events late). So the publisher broadcasts a Watermark message
 * carrying its highest event time so far to every partition, as Flink sends watermarks down every channel:
 * <ul>
 *     <li>after every {@code watermarkEveryEvents} events, or</li>
 *     <li>when {@code watermarkIntervalNs} of processing time has passed since the last broadcast (checked every
 *     {@link #CLOCK_CHECK_EVENTS} events and in {@link #poll()}),</li>
 * </ul>
 * and only when the event time advanced since the last broadcast: a producer that stops publishing stops
 * broadcasting, so an idle timeout downstream still treats it as idle. A partition that is full when a watermark is
 * due keeps it pending and gets it at the next publish or {@link #poll()}; nothing here blocks. Defaults:
 * {@link #DEFAULT_WATERMARK_EVERY_EVENTS} events, {@link #DEFAULT_WATERMARK_INTERVAL_MS} ms; with one partition
 * the events themselves carry the progress and the defaults send no watermark.
 * <p>
 * Sequences and end-of-stream counts are per partition: partition {@code i}'s events are numbered 0, 1, 2, ... and
 * its EndOfStream reports how many went there, so a reader of one partition checks it for loss on its own.
 * Allocates nothing per event. Not thread-safe: one producing thread.
 */
public final class PartitionedEventPublisher implements AutoCloseable
{
    /** Default number of events between two watermark broadcasts (partitioned streams). */
    public static final int DEFAULT_WATERMARK_EVERY_EVENTS = 1000;

    /** Default processing time between two watermark broadcasts, in ms (partitioned streams). */
    public static final long DEFAULT_WATERMARK_INTERVAL_MS = 50;

    /** The clock is read once per this many events to check the watermark interval. */
    public static final int CLOCK_CHECK_EVENTS = 16;

    private final EventPublisher[] partitions;
    private final Publication[] owned;
    private final boolean[] watermarkPending;
    private final boolean[] ended;
    private final int watermarkEveryEvents;
    private final long watermarkIntervalNs;
    private final NanoClock clock;
    private long maxEventTimeNs = Long.MIN_VALUE;
    private long broadcastEventTimeNs = Long.MIN_VALUE;
    private long lastBroadcastNs;
    private long eventsSinceBroadcast;
    private long eventCount;
    private long watermarkCount;
    private int pendingCount;
    private boolean closed;

    /**
     * Publish over given partition publishers; the caller owns their publications.
     *
     * @param partitions           publisher of partition i at index i, at least one, same producer id.
     * @param watermarkEveryEvents broadcast after this many events; 0 for no count trigger.
     * @param watermarkIntervalNs  broadcast when this much processing time has passed; 0 for no time trigger.
     * @param clock                processing time for the interval.
     * @throws IllegalArgumentException for no partitions, more than {@link Partitions#MAX_PARTITIONS}, or negative
     *                                  triggers.
     */
    public PartitionedEventPublisher(
        final EventPublisher[] partitions,
        final int watermarkEveryEvents,
        final long watermarkIntervalNs,
        final NanoClock clock)
    {
        this(partitions, null, watermarkEveryEvents, watermarkIntervalNs, clock);
    }

    private PartitionedEventPublisher(
        final EventPublisher[] partitions,
        final Publication[] owned,
        final int watermarkEveryEvents,
        final long watermarkIntervalNs,
        final NanoClock clock)
    {
        Partitions.checkCount(partitions.length, partitions.length > 0 ? partitions[0].publication().uri() : "?");
        if (watermarkEveryEvents < 0 || watermarkIntervalNs < 0)
        {
            throw new IllegalArgumentException("watermark triggers out of range: expected every >= 0 events and " +
                "interval >= 0 ns, found " + watermarkEveryEvents + " events, " + watermarkIntervalNs + " ns");
        }
        this.partitions = partitions.clone();
        this.owned = owned;
        this.watermarkPending = new boolean[partitions.length];
        this.ended = new boolean[partitions.length];
        this.watermarkEveryEvents = watermarkEveryEvents;
        this.watermarkIntervalNs = watermarkIntervalNs;
        this.clock = clock;
        this.lastBroadcastNs = clock.nanoTime();
    }

    /**
     * Open the {@code partitionCount} partitions of a stream ({@link Partitions#uri(String, int, int)}) and publish
     * over them; {@link #close()} closes them. Watermark defaults apply when partitionCount &gt; 1.
     *
     * @param uri            the stream as written.
     * @param partitionCount 1 to {@link Partitions#MAX_PARTITIONS}.
     * @param options        how to open each partition (producer id, open timeout).
     * @return the publisher.
     */
    public static PartitionedEventPublisher open(
        final String uri, final int partitionCount, final PublicationOptions options)
    {
        final long intervalNs = partitionCount > 1 ? TimeUnit.MILLISECONDS.toNanos(DEFAULT_WATERMARK_INTERVAL_MS) : 0;
        return open(uri, partitionCount, options, partitionCount > 1 ? DEFAULT_WATERMARK_EVERY_EVENTS : 0,
            intervalNs);
    }

    /**
     * Open the partitions of a stream and publish over them; {@link #close()} closes them.
     *
     * @param uri                  the stream as written.
     * @param partitionCount       1 to {@link Partitions#MAX_PARTITIONS}.
     * @param options              how to open each partition (producer id, open timeout).
     * @param watermarkEveryEvents broadcast after this many events; 0 for no count trigger.
     * @param watermarkIntervalNs  broadcast after this much processing time; 0 for no time trigger.
     * @return the publisher.
     */
    public static PartitionedEventPublisher open(
        final String uri,
        final int partitionCount,
        final PublicationOptions options,
        final int watermarkEveryEvents,
        final long watermarkIntervalNs)
    {
        Partitions.checkCount(partitionCount, uri);
        final Publication[] publications = new Publication[partitionCount];
        final EventPublisher[] publishers = new EventPublisher[partitionCount];
        try
        {
            for (int i = 0; i < partitionCount; i++)
            {
                publications[i] = Transports.publication(Partitions.uri(uri, i, partitionCount), options);
                publishers[i] = new EventPublisher(publications[i], options.producerId());
            }
            return new PartitionedEventPublisher(
                publishers, publications, watermarkEveryEvents, watermarkIntervalNs, new SystemNanoClock());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(publications);
            throw ex;
        }
    }

    /**
     * Publish an Event to the partition of its key.
     *
     * @param eventTimeNs event time, epoch nanoseconds.
     * @param key         buffer holding the ASCII key.
     * @param keyOffset   of the key in {@code key}.
     * @param keyLength   bytes, 0 to {@link EventPublisher#MAX_KEY_LENGTH}.
     * @param value       measured value.
     * @return payload offset (&ge; 0) or the partition's negative {@link Publication} code.
     */
    public int publishEvent(
        final long eventTimeNs, final DirectBuffer key, final int keyOffset, final int keyLength, final double value)
    {
        final EventPublisher[] partitions = this.partitions;
        final int partition = partitions.length == 1 ? 0 :
            Partitions.partition(Partitions.hash(key, keyOffset, keyLength), partitions.length);
        final int result = partitions[partition].publishEvent(eventTimeNs, key, keyOffset, keyLength, value);
        if (result >= 0)
        {
            onPublished(eventTimeNs);
        }
        return result;
    }

    /**
     * Publish an Event with a {@link CharSequence} key to the partition of its key.
     *
     * @param eventTimeNs event time, epoch nanoseconds.
     * @param key         ASCII, at most {@link EventPublisher#MAX_KEY_LENGTH} chars.
     * @param value       measured value.
     * @return payload offset (&ge; 0) or the partition's negative {@link Publication} code.
     */
    public int publishEvent(final long eventTimeNs, final CharSequence key, final double value)
    {
        final EventPublisher[] partitions = this.partitions;
        final int partition = partitions.length == 1 ? 0 : Partitions.partition(key, partitions.length);
        final int result = partitions[partition].publishEvent(eventTimeNs, key, value);
        if (result >= 0)
        {
            onPublished(eventTimeNs);
        }
        return result;
    }

    /**
     * Commit every partition's open batch (batching publications, {@link EventPublisher#flush()}), do the
     * time-based part of the watermark broadcast, retry pending watermarks and keep every partition's heartbeat
     * fresh ({@link EventPublisher#keepAlive()}); call it when not publishing (a paced producer between events).
     *
     * @return watermarks published.
     */
    public int poll()
    {
        for (final EventPublisher partition : partitions)
        {
            partition.flush(); // a batching publication's open batch is visible before the producer idles
            partition.keepAlive();
        }
        if (watermarkIntervalNs > 0 && maxEventTimeNs > broadcastEventTimeNs &&
            clock.nanoTime() - lastBroadcastNs >= watermarkIntervalNs)
        {
            scheduleBroadcast();
        }
        return pendingCount > 0 ? publishPending() : 0;
    }

    /**
     * Broadcast a watermark with the highest event time so far to every partition now (pending where full).
     *
     * @return watermarks published now.
     */
    public int broadcastWatermark()
    {
        scheduleBroadcast();
        return publishPending();
    }

    /**
     * Publish EndOfStream to every partition that has not had it yet; call again while it returns a negative code.
     *
     * @return 0 when every partition has its EndOfStream, else the negative code of a partition that refused.
     */
    public int publishEndOfStream()
    {
        int result = 0;
        for (int i = 0; i < partitions.length; i++)
        {
            if (!ended[i])
            {
                final int code = partitions[i].publishEndOfStream();
                if (code >= 0)
                {
                    ended[i] = true;
                    if (watermarkPending[i])
                    {
                        watermarkPending[i] = false; // end of stream says more than any watermark
                        pendingCount--;
                    }
                }
                else
                {
                    result = code;
                }
            }
        }
        return result;
    }

    /**
     * @return the number of partitions.
     */
    public int partitionCount()
    {
        return partitions.length;
    }

    /**
     * @param partition 0 to {@link #partitionCount()} - 1.
     * @return that partition's publisher, for its counters.
     */
    public EventPublisher partition(final int partition)
    {
        return partitions[partition];
    }

    /**
     * @return Events published over all partitions.
     */
    public long eventCount()
    {
        return eventCount;
    }

    /**
     * @return Watermark messages published over all partitions.
     */
    public long watermarkCount()
    {
        return watermarkCount;
    }

    /**
     * @return the highest event time published so far, {@link Long#MIN_VALUE} before the first event.
     */
    public long maxEventTimeNs()
    {
        return maxEventTimeNs;
    }

    /**
     * @return claims refused because a partition was full, over all partitions.
     */
    public long backPressureCount()
    {
        long count = 0;
        for (final EventPublisher partition : partitions)
        {
            count += partition.backPressureCount();
        }
        return count;
    }

    /**
     * Close the publications {@link #open} opened (none for the public constructor). Idempotent.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (null != owned)
            {
                CloseHelper.closeAll(owned);
            }
        }
    }

    private void onPublished(final long eventTimeNs)
    {
        eventCount++;
        if (eventTimeNs > maxEventTimeNs)
        {
            maxEventTimeNs = eventTimeNs;
        }
        final long sinceBroadcast = ++eventsSinceBroadcast;
        if (maxEventTimeNs > broadcastEventTimeNs &&
            ((watermarkEveryEvents > 0 && sinceBroadcast >= watermarkEveryEvents) ||
            (watermarkIntervalNs > 0 && 0 == (sinceBroadcast % CLOCK_CHECK_EVENTS) &&
            clock.nanoTime() - lastBroadcastNs >= watermarkIntervalNs)))
        {
            scheduleBroadcast();
        }
        if (pendingCount > 0)
        {
            publishPending();
        }
    }

    private void scheduleBroadcast()
    {
        broadcastEventTimeNs = maxEventTimeNs;
        lastBroadcastNs = clock.nanoTime();
        eventsSinceBroadcast = 0;
        final boolean[] pending = watermarkPending;
        for (int i = 0; i < pending.length; i++)
        {
            if (!pending[i] && !ended[i])
            {
                pending[i] = true;
                pendingCount++;
            }
        }
    }

    private int publishPending()
    {
        final boolean[] pending = watermarkPending;
        final long eventTimeNs = broadcastEventTimeNs;
        int published = 0;
        for (int i = 0; i < pending.length; i++)
        {
            if (pending[i] && partitions[i].publishWatermark(eventTimeNs) >= 0)
            {
                pending[i] = false;
                pendingCount--;
                published++;
            }
        }
        watermarkCount += published;
        return published;
    }
}

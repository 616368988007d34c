package io.herz.ipc.check;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks per-producer sequences as events arrive: each producer's events must come with sequences 0, 1, 2, ...
 * in order. A jump forward counts the skipped sequences as lost; a sequence below the expected one counts as a
 * duplicate or out-of-order delivery. End of stream checks the producer's own count. Allocates only when a new
 * producer id appears.
 */
public final class SequenceChecker
{
    /** Per-producer state. */
    static final class Producer
    {
        final int id;
        long expected;
        long received;
        long lost;
        long duplicatedOrReordered;
        boolean ended;

        Producer(final int id)
        {
            this.id = id;
        }
    }

    private final Int2ObjectHashMap<Producer> producers = new Int2ObjectHashMap<>();

    /**
     * @param producerId the event's producer.
     * @param sequence   the event's sequence.
     */
    public void onEvent(final int producerId, final long sequence)
    {
        final Producer producer = producer(producerId);
        producer.received++;
        if (sequence == producer.expected)
        {
            producer.expected++;
        }
        else if (sequence > producer.expected)
        {
            producer.lost += sequence - producer.expected;
            producer.expected = sequence + 1;
        }
        else
        {
            producer.duplicatedOrReordered++;
        }
    }

    /**
     * @param producerId   the producer that ended.
     * @param lastSequence the last sequence it says it published (-1 for none).
     */
    public void onEndOfStream(final int producerId, final long lastSequence)
    {
        final Producer producer = producer(producerId);
        producer.ended = true;
        if (lastSequence + 1 > producer.expected)
        {
            producer.lost += lastSequence + 1 - producer.expected;
            producer.expected = lastSequence + 1;
        }
    }

    private Producer producer(final int producerId)
    {
        Producer producer = producers.get(producerId);
        if (producer == null)
        {
            producer = new Producer(producerId);
            producers.put(producerId, producer);
        }
        return producer;
    }

    /**
     * @return events received, over all producers.
     */
    public long received()
    {
        return sum(producer -> producer.received);
    }

    /**
     * @return sequences that never arrived, over all producers.
     */
    public long lost()
    {
        return sum(producer -> producer.lost);
    }

    /**
     * @return events that arrived again or behind a later sequence, over all producers.
     */
    public long duplicatedOrReordered()
    {
        return sum(producer -> producer.duplicatedOrReordered);
    }

    private long sum(final java.util.function.ToLongFunction<Producer> field)
    {
        long sum = 0;
        for (final Producer producer : producers.values())
        {
            sum += field.applyAsLong(producer);
        }
        return sum;
    }

    /**
     * @return true when nothing was lost, duplicated or reordered.
     */
    public boolean isClean()
    {
        return lost() == 0 && duplicatedOrReordered() == 0;
    }

    /**
     * @return one line per producer, sorted by id, then a total line ending in OK or FAILED.
     */
    public List<String> report()
    {
        final List<String> lines = new ArrayList<>();
        final List<Producer> sorted = new ArrayList<>(producers.values());
        sorted.sort((a, b) -> Integer.compare(a.id, b.id));
        for (final Producer producer : sorted)
        {
            lines.add(String.format("producer %d: received %,d lost %,d duplicated/out-of-order %,d%s", producer.id,
                producer.received, producer.lost, producer.duplicatedOrReordered,
                producer.ended ? " (ended)" : ""));
        }
        lines.add(String.format("total: received %,d lost %,d duplicated/out-of-order %,d -> %s", received(), lost(),
            duplicatedOrReordered(), isClean() ? "OK" : "FAILED"));
        return lines;
    }
}

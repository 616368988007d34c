package io.herz.bench.flink;

/**
 * One projected JSON line: a Flink POJO (public fields, no-argument constructor) so that it is serialized by
 * Flink's POJO serializer between the source and the window operator, not by Kryo.
 */
public final class Event
{
    /** The line's key field. */
    public String key;
    /** The line's event time, epoch milliseconds. */
    public long timestampMs;
    /** The line's value field. */
    public double value;

    /**
     * An empty event, for Flink's serializer.
     */
    public Event()
    {
    }

    /**
     * @param key         the key.
     * @param timestampMs event time, epoch milliseconds.
     * @param value       the value.
     */
    public Event(final String key, final long timestampMs, final double value)
    {
        this.key = key;
        this.timestampMs = timestampMs;
        this.value = value;
    }
}

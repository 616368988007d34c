package io.herz.bench.flink;

/**
 * The accumulator of one key's window: count, sum, min and max of the values, as Herz's engine keeps them (the
 * mean is sum / count at emission). A Flink POJO.
 */
public final class Stats
{
    /** Events added. */
    public long count;
    /** Sum of their values, added in arrival order. */
    public double sum;
    /** Smallest value, +infinity before the first. */
    public double min = Double.POSITIVE_INFINITY;
    /** Largest value, -infinity before the first. */
    public double max = Double.NEGATIVE_INFINITY;

    /**
     * An empty accumulator.
     */
    public Stats()
    {
    }

    /**
     * Add one value.
     *
     * @param value the event's value.
     */
    public void add(final double value)
    {
        count++;
        sum += value;
        if (value < min)
        {
            min = value;
        }
        if (value > max)
        {
            max = value;
        }
    }

    /**
     * Add another accumulator's values after this one's (Flink merges accumulators when session windows merge).
     *
     * @param other the other accumulator.
     */
    public void merge(final Stats other)
    {
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }
}

package io.herz.bench.flink;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental aggregation of a window: one {@link Stats} per key and window, updated per event.
 */
final class StatsAggregate implements AggregateFunction<Event, Stats, Stats>
{
    private static final long serialVersionUID = 1L;

    @Override
    public Stats createAccumulator()
    {
        return new Stats();
    }

    @Override
    public Stats add(final Event event, final Stats accumulator)
    {
        accumulator.add(event.value);
        return accumulator;
    }

    @Override
    public Stats getResult(final Stats accumulator)
    {
        return accumulator;
    }

    @Override
    public Stats merge(final Stats a, final Stats b)
    {
        a.merge(b);
        return a;
    }
}

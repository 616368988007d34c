/**
 * Event-time windowing: the aggregation stage's engine.
 * <p>
 * {@link io.herz.window.WindowAggregator} assigns events to tumbling, sliding or session windows
 * ({@link io.herz.window.WindowSpec}), tracks a per-producer watermark and emits count, sum, min, max and mean of
 * each key's window to a {@link io.herz.window.WindowOutput} when the watermark reaches the window's end. The
 * semantics follow Apache Flink's event-time windows; see {@link io.herz.window.WindowAggregator} for the rules.
 * The steady state allocates nothing: keys are interned to dense int ids by {@link io.herz.window.KeyTable},
 * window state lives in pooled primitive arrays and deadlines in a primitive min-heap.
 */
package io.herz.window;

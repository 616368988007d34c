package io.herz.window;

import java.util.Comparator;

/**
 * One emitted window result, as tests compare them.
 */
record WindowResult(
    long startNs,
    long endNs,
    String key,
    long count,
    double sum,
    double min,
    double max,
    double mean,
    boolean isUpdate)
{
    static final Comparator<WindowResult> ORDER = Comparator
        .comparingLong(WindowResult::endNs)
        .thenComparingLong(WindowResult::startNs)
        .thenComparing(WindowResult::key)
        .thenComparing(WindowResult::isUpdate)
        .thenComparingLong(WindowResult::count)
        .thenComparingDouble(WindowResult::sum)
        .thenComparingDouble(WindowResult::min)
        .thenComparingDouble(WindowResult::max);
}

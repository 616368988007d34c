package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's noise floor: threads (one per processor) that do nothing but read {@code System.nanoTime()} in a
 * loop for a while and record every gap between two consecutive reads. On an idle dedicated core the gaps are the
 * clock's cost (tens of ns); on a shared VM the tail is the scheduler and the hypervisor taking the core away, which
 * bounds every p99.9 and max that the transports show.
 */
final class NoiseBaseline
{
    private NoiseBaseline()
    {
    }

    /**
     * @param threads    spinning threads.
     * @param durationMs how long each spins.
     * @return the gaps of all threads, ns.
     * @throws InterruptedException if interrupted while waiting for the threads.
     */
    static Histogram measure(final int threads, final long durationMs) throws InterruptedException
    {
        final Histogram total = new Histogram(MessageChecker.HIGHEST_TRACKABLE_NS, 3);
        final List<Histogram> histograms = new ArrayList<>();
        final List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < threads; i++)
        {
            final Histogram histogram = new Histogram(MessageChecker.HIGHEST_TRACKABLE_NS, 3);
            histograms.add(histogram);
            final Thread thread = new Thread(() -> spin(histogram, TimeUnit.MILLISECONDS.toNanos(durationMs)),
                "noise-" + i);
            thread.setDaemon(true);
            spinners.add(thread);
        }
        spinners.forEach(Thread::start);
        for (final Thread thread : spinners)
        {
            thread.join();
        }
        histograms.forEach(total::add);
        return total;
    }

    private static void spin(final Histogram histogram, final long durationNs)
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + durationNs;
        long previousNs = startNs;
        long nowNs;
        while ((nowNs = System.nanoTime()) - endNs < 0)
        {
            histogram.recordValue(Math.min(nowNs - previousNs, MessageChecker.HIGHEST_TRACKABLE_NS));
            previousNs = nowNs;
        }
    }
}

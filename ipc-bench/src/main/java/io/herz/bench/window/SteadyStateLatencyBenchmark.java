package io.herz.bench.window;

import java.util.concurrent.TimeUnit;

import io.herz.window.stage.SteadyStateLatency;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the aggregator's latency accounting costs per event: {@link SteadyStateLatency#accept} on the clock the stage
 * uses (Agrona's {@link SystemEpochNanoClock}), {@value #EVENTS_PER_POLL} events per {@link
 * SteadyStateLatency#beginPoll()} as in a busy duty cycle, past the warm-up (0 here), so every timed event goes to
 * the steady state's three histograms. {@code sampleInterval} 1 times every event (the stage before 2026-12-04), 16
 * one in 16 (its default since). One operation is one event; {@code -prof gc} for the allocation (none).
 */
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = { "-Dagrona.disable.bounds.checks=true" })
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SteadyStateLatencyBenchmark
{
    static final int EVENTS_PER_POLL = 256;

    /** One event in this many is timed. */
    @Param({ "1", "16" })
    public int sampleInterval;

    private final SystemEpochNanoClock clock = new SystemEpochNanoClock();
    private SteadyStateLatency latency;

    /**
     * A fresh accounting per trial, with no warm-up.
     */
    @Setup
    public void setUp()
    {
        latency = new SteadyStateLatency(clock, 0, sampleInterval);
    }

    /**
     * One poll's events, each published 10 us before.
     *
     * @return the event count, so nothing is dead code.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_POLL)
    public long accept()
    {
        final SteadyStateLatency latency = this.latency;
        latency.beginPoll();
        final long publishNs = clock.nanoTime() - 10_000;
        for (int i = 0; i < EVENTS_PER_POLL; i++)
        {
            latency.accept(publishNs);
        }
        return latency.eventCount();
    }
}

package io.herz.bench.flink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.herz.codec.json.JsonEventProjector;
import io.herz.codec.json.JsonProjectionConfig;
import io.herz.window.AggregatorConfig;
import io.herz.window.CsvRowWriter;
import io.herz.window.WindowAggregator;
import io.herz.window.WindowOutput;
import io.herz.window.WindowSpec;
import org.agrona.DirectBuffer;

/**
 * Herz's side of the comparison in one JVM: each file projected by Herz's JSON projector (producer i + 1 for file i),
 * the events fed to Herz's engine interleaved in chunks (as two producer JVMs interleave in the events ring), the
 * results written by Herz's CSV writer, as {@code herz aggregate} and {@code herz sink --csv} do.
 */
final class HerzEngineRun
{
    private HerzEngineRun()
    {
    }

    private record Projected(long eventTimeNs, String key, double value)
    {
    }

    /**
     * @param events     events the engine accepted.
     * @param lateEvents events dropped from at least one window as too late.
     */
    record Counts(long events, long lateEvents)
    {
    }

    static Counts run(
        final List<Path> files,
        final String window,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final int chunk,
        final Path csv) throws IOException
    {
        final List<List<Projected>> perFile = new ArrayList<>();
        for (final Path file : files)
        {
            final List<Projected> events = new ArrayList<>();
            final JsonEventProjector projector = new JsonEventProjector(new JsonProjectionConfig().tsUnit("ms"));
            projector.project(file, (eventTimeNs, key, keyOffset, keyLength, value) ->
                events.add(new Projected(eventTimeNs, key.getStringWithoutLengthAscii(keyOffset, keyLength), value)));
            perFile.add(events);
        }

        try (OutputStream out = Files.newOutputStream(csv))
        {
            final CsvRowWriter writer = new CsvRowWriter(out, csv.toString(), 1 << 16);
            writer.header();
            final WindowAggregator aggregator = new WindowAggregator(
                new AggregatorConfig()
                    .window(WindowSpec.parse(window))
                    .outOfOrdernessNs(outOfOrdernessMs * 1_000_000L)
                    .allowedLatenessNs(allowedLatenessMs * 1_000_000L)
                    .idleTimeoutNs(AggregatorConfig.NO_IDLE_TIMEOUT)
                    .producerCount(files.size()),
                new WindowOutput()
                {
                    @Override
                    public void onWindow(
                        final long startNs, final long endNs, final int keyId, final DirectBuffer keyBuffer,
                        final int keyOffset, final int keyLength, final long count, final double sum,
                        final double min, final double max, final double mean, final boolean isUpdate)
                    {
                        writer.row(startNs, endNs, keyBuffer, keyOffset, keyLength, count, sum, min, max, mean);
                    }

                    @Override
                    public void onEndOfStream()
                    {
                    }
                });

            final int[] next = new int[perFile.size()];
            boolean any = true;
            while (any)
            {
                any = false;
                for (int p = 0; p < perFile.size(); p++)
                {
                    final List<Projected> events = perFile.get(p);
                    final int end = Math.min(events.size(), next[p] + chunk);
                    for (int i = next[p]; i < end; i++)
                    {
                        final Projected event = events.get(i);
                        aggregator.onEvent(p + 1, event.eventTimeNs(), aggregator.keys().intern(event.key()),
                            event.value(), System.nanoTime());
                    }
                    if (next[p] < events.size() && end == events.size())
                    {
                        aggregator.onEndOfStream(p + 1, System.nanoTime());
                    }
                    any |= end < events.size();
                    next[p] = end;
                }
            }
            writer.flush();

            return new Counts(aggregator.eventCount(), aggregator.lateEventCount());
        }
    }
}

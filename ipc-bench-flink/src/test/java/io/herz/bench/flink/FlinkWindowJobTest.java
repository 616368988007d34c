package io.herz.bench.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's run of the seed's job gives exactly Herz's windows on the same small files: the benchmark's data (two
 * producers, in-order event time, 6 fields in three orders) tumbling and sliding, and one producer with events late
 * beyond the out-of-orderness, some within the allowed lateness (updates) and some beyond it (dropped).
 */
class FlinkWindowJobTest
{
    @TempDir
    Path dir;

    @Test
    void benchmarkDataGivesHerzsWindowsTumblingAndSliding() throws Exception
    {
        final List<Path> files = List.of(dir.resolve("p1.jsonl"), dir.resolve("p2.jsonl"));
        for (int p = 0; p < files.size(); p++)
        {
            writeBenchLines(files.get(p), p + 1, 4000, 40, 10, new ArrayList<>());
        }
        for (final String window : List.of("tumbling:100ms", "sliding:500ms,100ms"))
        {
            final Path herz = dir.resolve("herz.csv");
            final Path flink = dir.resolve("flink.csv");
            assertEquals(new HerzEngineRun.Counts(8000, 0), HerzEngineRun.run(files, window, 200, 0, 37, herz));
            final FlinkWindowJob.Result result = FlinkWindowJob.run(FlinkWindowJob.Options.parse(
                "--json", files.get(0).toString(), "--json", files.get(1).toString(), "--window", window,
                "--csv", flink.toString(), "--parallelism", "2"));
            assertEquals(8000, result.events(), window);
            assertEquals(0, result.badLines(), window);

            final WindowCsvDiff.Outcome outcome = WindowCsvDiff.compare(herz, flink);
            assertTrue(outcome.same(), () -> window + ": " + outcome.summary("herz", "flink") + " " + outcome.listed());
            // 400 ms of event time per producer, 40 keys, ~2.5 events per key and 10 ms: every key in every window
            final long expectedWindows = window.startsWith("tumbling") ? 4 * 40 : (4 + 4) * 40;
            assertEquals(expectedWindows, outcome.identical(), window);
            assertEquals(outcome.leftRows(), outcome.rightRows(), window);
            assertEquals(outcome.rightRows(), result.rows(), window);
            assertTrue(result.activeMs() > 0 && result.activeMs() <= result.runtimeMs(), result::toString);
        }
    }

    @Test
    void lateEventsAreDroppedAndUpdatedAsHerzDoes() throws Exception
    {
        final Path file = dir.resolve("late.jsonl");
        final List<String> lines = new ArrayList<>();
        final Random random = new Random(16);
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < 3000; i++)
        {
            ts += random.nextInt(3);
            // every 50th event is 250-700 ms behind: beyond the 200 ms out-of-orderness, some within the 300 ms
            // allowed lateness of windows that already fired, some beyond it
            final long eventTs = 0 == i % 50 ? ts - 250 - random.nextInt(450) : ts;
            lines.add(String.format(Locale.ROOT, "{\"key\":\"k%d\",\"value\":%.2f,\"ts\":%d}",
                random.nextInt(5), random.nextInt(400) / 4.0, eventTs));
        }
        Files.write(file, lines);

        for (final String window : List.of("tumbling:100ms", "sliding:300ms,100ms"))
        {
            final Path herz = dir.resolve("late-herz.csv");
            final Path flink = dir.resolve("late-flink.csv");
            final HerzEngineRun.Counts counts = HerzEngineRun.run(List.of(file), window, 200, 300, 1, herz);
            assertTrue(counts.lateEvents() > 0, window + ": no event dropped as late");
            FlinkWindowJob.run(FlinkWindowJob.Options.parse("--json", file.toString(), "--window", window,
                "--csv", flink.toString(), "--allowed-lateness", "300ms",
                "--watermarks", System.getProperty("herz.flink.watermarks", "per-event")));

            final WindowCsvDiff.Outcome outcome = WindowCsvDiff.compare(herz, flink);
            assertTrue(outcome.same(), () -> window + ": " + outcome.summary("herz", "flink") + " " + outcome.listed());
            assertTrue(outcome.leftRows() > outcome.leftWindows(), () -> window + ": no update rows: " +
                outcome.summary("herz", "flink"));
            assertEquals(outcome.leftRows(), outcome.rightRows(), window);
        }
    }

    @Test
    void diffListsWhatDiffers() throws IOException
    {
        final Path left = dir.resolve("left.csv");
        final Path right = dir.resolve("right.csv");
        Files.write(left, List.of(CsvFileSink.HEADER, "0,100,a,2,3.0,1.0,2.0,1.5", "0,100,\"b,c\",1,1.0,1.0,1.0,1.0",
            "100,200,a,1,4.0,4.0,4.0,4.0"));
        Files.write(right, List.of(CsvFileSink.HEADER, "0,100,\"b,c\",1,1.0,1.0,1.0,1.0", "0,100,a,1,1.0,1.0,1.0,1.0",
            "0,100,a,2,3.5,1.0,2.5,1.75", "200,300,a,1,4.0,4.0,4.0,4.0"));

        final WindowCsvDiff.Outcome outcome = WindowCsvDiff.compare(left, right);
        assertFalse(outcome.same());
        assertEquals(1, outcome.identical());
        assertEquals(1, outcome.differing());
        assertEquals(1, outcome.onlyLeft());
        assertEquals(1, outcome.onlyRight());
        assertEquals(3, outcome.leftRows());
        assertEquals(4, outcome.rightRows());
        assertTrue(outcome.listed().contains(
            "different: 0,100,a: left.csv 2,3.0,1.0,2.0,1.5, right.csv 2,3.5,1.0,2.5,1.75"),
            outcome.listed()::toString);
    }

    /**
     * The lines {@code bin/bench-pipeline} generates: 6 fields in three orders, event time 1 ms every
     * {@code linesPerMs} lines, values multiples of 0.25 (exact sums in any order).
     */
    static void writeBenchLines(
        final Path file, final int producer, final int count, final int keys, final int linesPerMs,
        final List<String> lines) throws IOException
    {
        final Random random = new Random(producer);
        for (int i = 0; i < count; i++)
        {
            final long ts = 1_700_000_000_000L + i / linesPerMs;
            final int k = random.nextInt(keys);
            final String v = String.format(Locale.ROOT, "%.2f", random.nextInt(400) / 4.0);
            switch (i % 3)
            {
                case 0:
                    lines.add(String.format(Locale.ROOT, "{\"ts\":%d,\"host\":\"web-%02d\",\"key\":\"sensor-%05d\"," +
                        "\"region\":\"eu-west-1\",\"value\":%s,\"seq\":%d}", ts, producer, k, v, i));
                    break;
                case 1:
                    lines.add(String.format(Locale.ROOT, "{\"value\":%s,\"key\":\"sensor-%05d\",\"seq\":%d,\"ts\":%d," +
                        "\"region\":\"us-east-2\",\"host\":\"web-%02d\"}", v, k, i, ts, producer));
                    break;
                default:
                    lines.add(String.format(Locale.ROOT, "{\"region\":\"ap-south-1\",\"seq\":%d,\"value\":%s," +
                        "\"host\":\"web-%02d\",\"ts\":%d,\"key\":\"sensor-%05d\"}", i, v, producer, ts, k));
                    break;
            }
        }
        Files.write(file, lines);
    }
}

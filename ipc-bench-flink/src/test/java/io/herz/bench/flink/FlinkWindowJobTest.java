package io.herz.bench.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's run of the seed's job gives exactly Herz's windows on the same small files: the benchmark's data (two
 * producers, in-order event time, 6 fields in three orders) tumbling, sliding and in sessions, and one producer with
 * events late beyond the out-of-orderness, some within the allowed lateness (updates; for sessions also extending and
 * bridging sessions that already fired) and some beyond it (dropped). Flink's temporary files go to a per-run
 * directory that is gone when the job returns.
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
    void benchmarkDataGivesHerzsSessionWindows() throws Exception
    {
        final List<Path> files = List.of(dir.resolve("p1.jsonl"), dir.resolve("p2.jsonl"));
        for (int p = 0; p < files.size(); p++)
        {
            writeBenchLines(files.get(p), p + 1, 4000, 40, 10, new ArrayList<>());
        }
        final String window = "session:5ms";
        final Path herz = dir.resolve("herz.csv");
        final Path flink = dir.resolve("flink.csv");
        final Path flinkTmp = dir.resolve("flink-tmp");
        assertEquals(new HerzEngineRun.Counts(8000, 0), HerzEngineRun.run(files, window, 200, 0, 37, herz));
        final FlinkWindowJob.Result result = FlinkWindowJob.run(FlinkWindowJob.Options.parse(
            "--json", files.get(0).toString(), "--json", files.get(1).toString(), "--window", window,
            "--csv", flink.toString(), "--parallelism", "2", "--tmp-dir", flinkTmp.toString()));
        assertEquals(8000, result.events());
        assertEquals(0, result.badLines());

        final WindowCsvDiff.Outcome outcome = WindowCsvDiff.compare(herz, flink);
        assertTrue(outcome.same(), () -> outcome.summary("herz", "flink") + " " + outcome.listed());
        assertEquals(outcome.leftRows(), outcome.leftWindows(), "in-order data: no session updated");
        assertEquals(outcome.rightRows(), result.rows());
        // 40 keys, an event per key every ~2 ms of event time over 400 ms: each key's events form several
        // sessions (gaps of 5 ms and more), most of them merged from many events
        final Sessions sessions = Sessions.read(herz);
        assertEquals(40, sessions.keys());
        assertEquals(40, sessions.keysWithSeveralSessions(), sessions::toString);
        assertTrue(sessions.windows() > 40 * 5 && sessions.windows() < 8000 / 5, sessions::toString);
        assertTrue(sessions.windowsOfSeveralEvents() > sessions.windows() / 2, sessions::toString);
        try (Stream<Path> left = Files.list(flinkTmp))
        {
            assertEquals(List.of(), left.toList(), "Flink's per-run temporary directory is deleted");
        }
    }

    @Test
    void lateEventsExtendBridgeAndDropSessionsAsHerzDoes() throws Exception
    {
        final Path file = dir.resolve("late-sessions.jsonl");
        final List<String> lines = new ArrayList<>();
        final Random random = new Random(1616);
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < 3000; i++)
        {
            ts += random.nextInt(3);
            // every 20th event is 250-700 ms behind: beyond the 200 ms out-of-orderness, within the 300 ms allowed
            // lateness of sessions that already fired (extending them, or bridging two into one) or beyond it
            final long eventTs = 0 == i % 20 ? ts - 250 - random.nextInt(450) : ts;
            lines.add(String.format(Locale.ROOT, "{\"key\":\"k%d\",\"value\":%.2f,\"ts\":%d}",
                random.nextInt(5), random.nextInt(400) / 4.0, eventTs));
        }
        Files.write(file, lines);

        final String window = "session:4ms";
        final Path herz = dir.resolve("late-herz.csv");
        final Path flink = dir.resolve("late-flink.csv");
        final HerzEngineRun.Counts counts = HerzEngineRun.run(List.of(file), window, 200, 300, 1, herz);
        assertTrue(counts.lateEvents() > 0, "no event dropped as late");
        FlinkWindowJob.run(FlinkWindowJob.Options.parse("--json", file.toString(), "--window", window,
            "--csv", flink.toString(), "--allowed-lateness", "300ms", "--tmp-dir", dir.resolve("tmp").toString(),
            "--watermarks", System.getProperty("herz.flink.watermarks", "per-event")));

        final WindowCsvDiff.Outcome outcome = WindowCsvDiff.compare(herz, flink);
        assertTrue(outcome.same(), () -> outcome.summary("herz", "flink") + " " + outcome.listed());
        assertEquals(outcome.leftRows(), outcome.rightRows());
        final Sessions sessions = Sessions.read(herz);
        assertTrue(outcome.leftRows() > outcome.leftWindows(), () -> "no session updated in place: " + sessions);
        assertTrue(sessions.extended() > 0, () -> "no fired session extended by a late event: " + sessions);
        assertTrue(sessions.bridging() > 0, () -> "no two fired sessions bridged by a late event: " + sessions);
    }

    @Test
    void windowSpecsAsHerzReadsThemAndBadOnesNamed()
    {
        assertEquals(new FlinkWindowJob.WindowShape(true, 5000, 0), FlinkWindowJob.WindowShape.parse("session:5s"));
        assertEquals(new FlinkWindowJob.WindowShape(false, 10_000, 1000),
            FlinkWindowJob.WindowShape.parse("sliding:10s,1s"));
        assertEquals("session window gap: expected a positive duration, found 'session:0ms'", assertThrows(
            IllegalArgumentException.class, () -> FlinkWindowJob.WindowShape.parse("session:0ms")).getMessage());
        assertEquals("window spec: expected tumbling:SIZE, sliding:SIZE,SLIDE or session:GAP, found 'hopping:1s'",
            assertThrows(IllegalArgumentException.class, () -> FlinkWindowJob.WindowShape.parse("hopping:1s"))
                .getMessage());
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

    /**
     * The sessions of a window CSV (rows in emission order): per key, the distinct (start, end) windows emitted.
     * A window that contains an earlier emitted window of its key with another start or end is that session
     * extended after it fired; one that contains two disjoint earlier windows bridged them.
     */
    record Sessions(int keys, int keysWithSeveralSessions, int windows, int windowsOfSeveralEvents, int extended,
        int bridging)
    {
        static Sessions read(final Path csv) throws IOException
        {
            final Map<String, List<long[]>> byKey = new HashMap<>();
            int windows = 0;
            int ofSeveral = 0;
            int extended = 0;
            int bridging = 0;
            final List<String> rows = Files.readAllLines(csv);
            for (final String row : rows.subList(1, rows.size()))
            {
                final String[] fields = row.split(",");
                final long start = Long.parseLong(fields[0]);
                final long end = Long.parseLong(fields[1]);
                final List<long[]> emitted = byKey.computeIfAbsent(fields[2], k -> new ArrayList<>());
                if (emitted.stream().anyMatch(w -> w[0] == start && w[1] == end))
                {
                    continue; // an update of a window already counted
                }
                windows++;
                if (Long.parseLong(fields[3]) > 1)
                {
                    ofSeveral++;
                }
                final List<long[]> inside = emitted.stream().filter(w -> start <= w[0] && w[1] <= end).toList();
                if (!inside.isEmpty())
                {
                    extended++;
                }
                if (inside.stream().anyMatch(a -> inside.stream().anyMatch(b -> a[1] < b[0])))
                {
                    bridging++;
                }
                emitted.add(new long[] {start, end});
            }
            final int several = (int)byKey.values().stream().filter(list -> list.size() > 1).count();

            return new Sessions(byKey.size(), several, windows, ofSeveral, extended, bridging);
        }
    }
}

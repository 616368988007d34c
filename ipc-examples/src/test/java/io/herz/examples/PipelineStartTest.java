package io.herz.examples;

import io.herz.ipc.status.SegmentStatus;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code herz pipeline} starts every stage's JVM at once, the producer too, and the producer still publishes nothing
 * until the ready files it waits for exist; each prints when it was ready (or started publishing) after its JVM
 * started, and at the end its memory line, with the heap the launcher gave its kind ({@link StageJvm}).
 */
@Timeout(180)
class PipelineStartTest
{
    private static final Pattern MEMORY = Pattern.compile("^\\[(\\S+)] (memory: .*)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldStartStagesTogetherAndGateProducerOnReadyFilesThenPrintEachStagesMemory() throws Exception
    {
        final Path rings = dir.resolve("rings");
        final Path gate = dir.resolve("gate.ready");
        final Path csv = dir.resolve("windows.csv");
        Files.writeString(dir.resolve("pipeline.spec"), String.join("\n",
            "ring events = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "stage sink = sink --ring ${windows} --csv " + csv + " --capacity 1m --ready-file " +
                dir.resolve("sink.ready"),
            "stage aggregate = aggregate --in ${events} --out ${windows} --window tumbling:1s --producers 1 " +
                "--capacity 1m --warmup 0s --ready-file " + dir.resolve("aggregate.ready"),
            "stage p1 = produce --ring ${events} --producer-id 1 --synthetic --count 20000 --keys 3 " +
                "--start-after " + dir.resolve("sink.ready") + " --start-after " + dir.resolve("aggregate.ready") +
                " --start-after " + gate,
            ""));
        final ChildJvm pipeline = ChildJvm.start("pipeline-start", HerzCli.class, "pipeline", "--spec",
            dir.resolve("pipeline.spec").toString(), "--dir", rings.toString(), "--progress", "0");
        children.add(pipeline);

        Await.await(() -> Files.exists(dir.resolve("sink.ready")) && Files.exists(dir.resolve("aggregate.ready")),
            90_000, () -> "consumers ready: " + pipeline.logTail());
        final String started = pipeline.log();
        for (final String stage : List.of("sink", "aggregate", "p1"))
        {
            assertTrue(started.contains("[pipeline] started " + stage + " (pid "), started);
        }
        final Path events = rings.resolve("events.seg");
        Await.await(() -> Files.exists(events), 30_000, () -> "events ring: " + pipeline.logTail());
        Thread.sleep(500); // the producer JVM is up, its ring open: it must still wait for the gate
        assertEquals(0, SegmentStatus.read(events).recordsOffered(), pipeline::logTail);

        Files.writeString(gate, "go");
        pipeline.awaitSuccess(120_000);

        final String log = pipeline.log();
        assertTrue(log.contains("producer 1: published 20,000 events"), log);
        assertTrue(Files.readAllLines(csv).size() > 1, log);
        final Matcher matcher = MEMORY.matcher(log);
        final List<String> reported = new ArrayList<>();
        while (matcher.find())
        {
            final String stage = matcher.group(1);
            final Matcher line = MemoryReport.LINE.matcher(matcher.group(2));
            assertTrue(line.matches(), matcher.group(2));
            assertTrue(MemoryReport.peakRssMb(matcher.group(2)) > 0, matcher.group(2));
            final long maxMb = Long.parseLong(line.group(3));
            if ("aggregate".equals(stage))
            {
                assertTrue(maxMb > 512 && maxMb <= 1024, matcher.group(2)); // -Xmx1g less a survivor space
            }
            else
            {
                assertTrue(maxMb > 64 && maxMb <= 128, matcher.group(2)); // -Xmx128m
            }
            reported.add(stage);
        }
        assertEquals(List.of("aggregate", "p1", "sink"), reported.stream().sorted().toList(), log);
        final Pattern startup = Pattern.compile("^\\[(\\S+)] start-up: (ready|publishing) ([0-9,]+) ms after JVM " +
            "start(, ([0-9,]+) ms of it waiting for ready files)? \\(class-data sharing: (AOT cache|archive|JDK default|off)\\)$",
            Pattern.MULTILINE);
        final Matcher startLine = startup.matcher(log);
        final List<String> startedStages = new ArrayList<>();
        while (startLine.find())
        {
            startedStages.add(startLine.group(1) + " " + startLine.group(2));
            if ("p1".equals(startLine.group(1)))
            {
                final long jvmMs = Long.parseLong(startLine.group(3).replace(",", ""));
                final long waitedMs = Long.parseLong(startLine.group(5).replace(",", ""));
                assertTrue(waitedMs > 0 && waitedMs <= jvmMs, startLine.group()); // it waited for the gate
            }
        }
        assertEquals(List.of("aggregate ready", "p1 publishing", "sink ready"), startedStages.stream().sorted().toList(),
            log);
        final Matcher cpuLine = Pattern.compile("^\\[(\\S+)] cpu: process \\d+\\.\\d\\d s, main thread ", Pattern.MULTILINE)
            .matcher(log);
        final List<String> cpuStages = new ArrayList<>();
        while (cpuLine.find())
        {
            cpuStages.add(cpuLine.group(1));
        }
        assertEquals(List.of("aggregate", "p1", "sink"), cpuStages.stream().sorted().toList(), log); // every stage
    }
}

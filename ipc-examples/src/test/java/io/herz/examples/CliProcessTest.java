package io.herz.examples;

import io.herz.ipc.idle.IdleStrategies;

import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import io.herz.ipc.test.Signals;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code herz} command line, each command in its own JVM.
 */
@Timeout(120)
class CliProcessTest
{
    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldVerifyEveryEventWhenTwoProducersPublishToConsume() throws Exception
    {
        final String ring = dir.resolve("events.seg").toString();
        final ChildJvm consume = herz("consume", "consume", "--ring", ring, "--producers", "2", "--verify",
            "--capacity", "1m");
        final ChildJvm p1 = herz("p1", "produce", "--ring", ring, "--producer-id", "1", "--synthetic", "--count",
            "500000", "--keys", "10");
        final ChildJvm p2 = herz("p2", "produce", "--ring", ring, "--producer-id", "2", "--synthetic", "--count",
            "500000", "--keys", "10", "--idle", "sleeping");

        p1.awaitSuccess(60_000);
        p2.awaitSuccess(60_000);
        consume.awaitSuccess(60_000);

        final String log = consume.log();
        assertTrue(log.contains("producer 1: received 500,000 lost 0 duplicated/out-of-order 0 (ended)"), log);
        assertTrue(log.contains("producer 2: received 500,000 lost 0 duplicated/out-of-order 0 (ended)"), log);
        assertTrue(log.contains("total: received 1,000,000 lost 0 duplicated/out-of-order 0 -> OK"), log);
    }

    @Test
    void shouldExitWithUsageErrorWhenFlagsAreBad() throws Exception
    {
        final String ring = dir.resolve("x.seg").toString();
        assertUsageError(herz("no-id", "produce", "--ring", ring, "--synthetic"),
            "Missing required option: '--producer-id=N'");
        assertUsageError(herz("bad-capacity", "consume", "--ring", ring, "--capacity", "3000"),
            "--capacity capacity is not a power of two: found 3000");
        assertUsageError(herz("bad-size", "consume", "--ring", ring, "--capacity", "lots"),
            "size not understood: expected a number with optional k, m or g suffix, found 'lots'");
        assertUsageError(herz("bad-rate", "produce", "--ring", ring, "--producer-id", "1", "--synthetic", "--rate",
            "fast"), "rate not understood: expected events per second like 100000, 100k or 2m/s, found 'fast'");
        assertUsageError(herz("bad-idle", "produce", "--ring", ring, "--producer-id", "1", "--synthetic", "--idle",
            "nap"), "idle strategy not known: expected one of " + IdleStrategies.NAMES + ", found 'nap'");
        assertUsageError(herz("unknown", "frobnicate"), "Unmatched argument at index 0: 'frobnicate'");
        assertUsageError(herz("bad-sample", "aggregate", "--in", ring, "--out", dir.resolve("w.seg").toString(),
            "--window", "tumbling:1s", "--latency-sample", "10"),
            "latency sample interval: expected a power of two >= 1 (1 times every event), found 10");

        final Path spec = dir.resolve("bad.spec");
        Files.writeString(spec, "ring a = x\nstagee b = consume\n");
        assertUsageError(herz("bad-spec", "pipeline", "--spec", spec.toString()),
            spec.toAbsolutePath() + ":2: line not understood: expected 'ring NAME = URI [partitions=N]' or " +
                "'stage NAME[N] [cpus=LIST] [jvm=\"FLAGS\"] = SUBCOMMAND ARGS...', found 'stagee b = consume'");
    }

    @Test
    void shouldStopEveryStageAndRemoveRingsWhenPipelineGetsSigint() throws Exception
    {
        final Path rings = dir.resolve("rings");
        final Path spec = dir.resolve("pipeline.spec");
        Files.writeString(spec, String.join("\n",
            "ring events = ${dir}/events.seg",
            "stage sink = consume --ring ${events} --producers 2 --verify --capacity 1m",
            "stage p1 = produce --ring ${events} --producer-id 1 --synthetic --count 100000000 --rate 50k",
            "stage p2 = produce --ring ${events} --producer-id 2 --synthetic --count 100000000 --rate 50k",
            ""));
        // Under the default SIGINT whatever shell started the build (a background job's children ignore it).
        final ChildJvm pipeline = ChildJvm.start("pipeline", Signals.defaultSigintPrefix(), HerzCli.class, List.of(),
            "pipeline", "--spec", spec.toString(), "--dir", rings.toString(), "--progress", "200");
        children.add(pipeline);
        final Pattern flowing = Pattern.compile("events: [1-9][0-9,]* consumed");
        Await.await(() -> flowing.matcher(pipeline.logTail()).find(), 60_000,
            () -> "events flowing through the pipeline: " + pipeline.logTail());

        pipeline.signal("INT");
        final int exit = pipeline.waitFor(60_000);

        final String log = pipeline.log();
        assertEquals(130, exit, log); // 128 + SIGINT: the launcher itself was interrupted, its stages ended cleanly
        assertTrue(log.contains("[sink] total: received"), log);
        assertTrue(log.contains("lost 0 duplicated/out-of-order 0 -> OK"), log);
        for (final long pid : stagePids(log))
        {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stage pid " + pid + " alive");
        }
        try (Stream<Path> left = Files.exists(rings) ? Files.list(rings) : Stream.empty())
        {
            assertEquals(List.of(), left.toList(), "segments left behind");
        }
    }

    private static List<Long> stagePids(final String log)
    {
        final List<Long> pids = new ArrayList<>();
        final Matcher matcher = Pattern.compile("\\[pipeline] started \\S+ \\(pid (\\d+)\\)").matcher(log);
        while (matcher.find())
        {
            pids.add(Long.parseLong(matcher.group(1)));
        }
        assertEquals(3, pids.size(), log);
        return pids;
    }

    private static void assertUsageError(final ChildJvm child, final String message) throws Exception
    {
        assertEquals(2, child.waitFor(30_000), child::logTail);
        assertTrue(child.log().contains(message), () -> "expected '" + message + "' in:\n" + child.logTail());
    }

    private ChildJvm herz(final String name, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, HerzCli.class, args);
        children.add(child);
        return child;
    }
}

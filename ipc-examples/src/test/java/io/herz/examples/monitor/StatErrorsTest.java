package io.herz.examples.monitor;

import io.herz.examples.HerzCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors of herz stat, ls and clean name the thing, what was expected and the fix. */
@Timeout(60)
class StatErrorsTest
{
    @TempDir
    Path dir;

    private String out;
    private String err;

    @Test
    void shouldNameMissingSegmentAndWhereToLookWhenStatOnceCannotReadIt()
    {
        final Path missing = dir.resolve("missing.seg");

        assertEquals(1, herz("stat", "--once", missing.toString()));

        assertEquals("herz stat: " + missing + ": does not exist: expected a segment file or a directory of *.seg " +
            "files (list what there is with: herz ls " + dir + ")\n", err);
    }

    /**
     * `herz stat` with no PATH watches the default directory, which does not exist until a ring is created there: a
     * machine that never made one has no rings, not a problem (AeronPipelineCliTest's `herz --aeron-dir D stat
     * --once` exited 1 on a fresh machine when it ran before any test had created the default directory).
     */
    @Test
    void shouldTakeAMissingDefaultDirectoryForNoRingsButAMissingNamedPathForAProblem()
    {
        final Path missing = dir.resolve("not-yet");
        try (SegmentWatcher implicit = new SegmentWatcher(List.of(missing), true);
            SegmentWatcher named = new SegmentWatcher(List.of(missing)))
        {
            final SegmentWatcher.Sample none = implicit.sample();
            assertEquals(List.of(), none.rings());
            assertEquals(Map.of(), none.problems());
            assertEquals(List.of(missing), List.copyOf(named.sample().problems().keySet()));
        }
    }

    @Test
    void shouldNameTheProblemWhenAWatchedFileIsNotASegment() throws Exception
    {
        final Path bad = dir.resolve("bad.seg");
        Files.write(bad, new byte[8192]);

        assertEquals(1, herz("stat", "--once", "--json", dir.toString()));

        assertEquals("herz stat: " + bad + ": not a Herz segment, magic mismatch: expected 0x5a524548 (\"HERZ\"), " +
            "found 0x0\n", err);
        assertTrue(out.contains("\"problems\":[{\"path\":\"" + bad + "\",\"problem\":\"not a Herz segment"), out);
    }

    @Test
    void shouldExplainTheAddressWhenPrometheusValueIsBad()
    {
        assertEquals(2, herz("stat", "--prometheus", "localhost", dir.toString()));
        assertTrue(err.contains("listen address not understood: expected :PORT or HOST:PORT with PORT 0..65535, " +
            "e.g. :9464 or 127.0.0.1:9464, found 'localhost'"), err);

        assertEquals(2, herz("stat", "--prometheus", ":70000", dir.toString()));
        assertTrue(err.contains("found ':70000'"), err);

        assertEquals(2, herz("stat", "--prometheus", ":0", "--once", dir.toString()));
        assertTrue(err.contains("--once cannot be combined with --prometheus"), err);
    }

    @Test
    void shouldNameThePortAndTheFixWhenItIsTaken() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            final int port = taken.getLocalPort();

            assertEquals(1, herz("stat", "--prometheus", "127.0.0.1:" + port, dir.toString()));

            assertTrue(err.startsWith("herz stat: cannot listen on 127.0.0.1:" + port + ": "), err);
            assertTrue(err.contains(": expected a free port on a local interface (choose another with " +
                "--prometheus HOST:PORT, or :0 for any free port)"), err);
        }
    }

    @Test
    void shouldNameTheDirectoryWhenLsOrCleanFindsNone() throws Exception
    {
        final Path missing = dir.resolve("none");
        assertEquals(1, herz("ls", missing.toString()));
        assertEquals("herz ls: " + missing + ": directory does not exist: expected the Herz directory (rings are " +
            "created under /dev/shm/herz unless a stage is given another path)\n", err);

        final Path file = dir.resolve("a.seg");
        Files.write(file, new byte[1]);
        assertEquals(1, herz("clean", file.toString()));
        assertEquals("herz clean: " + file + ": not a directory: expected the Herz directory (herz stat " + file +
            " shows a single segment)\n", err);
    }

    @Test
    void shouldNameStageCountersAsPrometheusFamiliesWhenLabelsHaveSpaces()
    {
        assertEquals("herz_stage_events", HerzMetricsExporter.stageMetricName("events"));
        assertEquals("herz_stage_duplicated_or_out_of_order",
            HerzMetricsExporter.stageMetricName("duplicated or out of order"));
        assertEquals("herz_stage_late", HerzMetricsExporter.stageMetricName("late_total"));
        assertEquals("aggregate", RingView.CounterView.of("aggregate: late", 3).stage());
        assertEquals("late", RingView.CounterView.of("aggregate: late", 3).name());
        assertEquals("", RingView.CounterView.of("plain", 3).stage());
    }

    private int herz(final String... args)
    {
        final StringWriter outText = new StringWriter();
        final StringWriter errText = new StringWriter();
        final int exit = HerzCli.commandLine().setOut(new PrintWriter(outText)).setErr(new PrintWriter(errText))
            .execute(args);
        out = outText.toString();
        err = errText.toString();
        return exit;
    }
}

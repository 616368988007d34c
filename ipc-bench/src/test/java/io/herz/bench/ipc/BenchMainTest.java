package io.herz.bench.ipc;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code herz bench --quick} at a tiny size, real JVMs for every transport: every available transport produced a row
 * for every shape, no message was lost, the reports parse and hold one latency chart per rate.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BenchMainTest
{
    /** Parent of the scenarios' ring directories; each scenario removes its own, the test removes the parent. */
    private final Path ringDir = Path.of("/dev/shm/herz-test-bench-" + ProcessHandle.current().pid());

    @TempDir
    Path out;

    @AfterEach
    void removeRingDir() throws Exception
    {
        Files.deleteIfExists(ringDir); // empty once every scenario has cleaned up; a leftover ring fails this
    }

    @Test
    void shouldProduceARowPerTransportWithEveryMessageCheckedAndAChartPerRateWhenRunQuick() throws Exception
    {
        final BenchOptions options = BenchOptions.parse(new String[]{
            "--quick", "--sizes", "64", "--rates", "100k,max", "--messages", "20000", "--duration", "0.05",
            "--noise-ms", "100", "--out", out.toString(), "--dir", ringDir.toString()});
        final ByteArrayOutputStream text = new ByteArrayOutputStream();

        final BenchSession session = BenchMain.run(options, new PrintStream(text, true, StandardCharsets.UTF_8));

        System.out.println(text.toString(StandardCharsets.UTF_8));
        final Set<String> expectedRows = Set.of(
            "herz", "herz-excl", "herz-batch", "herz-2c", "agrona-m2o", "agrona-o2o", "uds", "chronicle", "aeron-ipc",
            "aeron-udp");
        final Set<String> ran = session.transports.stream().map(TransportSpec::name).collect(Collectors.toSet());
        assertEquals(expectedRows, ran, "rows that ran");
        assertEquals(Map.of(), session.skipped, "rows skipped");
        for (final TransportSpec transport : session.transports)
        {
            for (final BenchSession.Shape shape : session.throughputShapes)
            {
                if (shape.producers() <= transport.maxProducers())
                {
                    assertEquals(1, session.throughputs(transport, shape).length, transport.name() + " " + shape);
                }
            }
            for (final BenchSession.Shape shape : session.latencyShapes)
            {
                assertNotNull(session.merged(transport, shape, true), transport.name() + " " + shape);
            }
        }
        for (final ScenarioResult result : session.results)
        {
            assertTrue(result.isAllChecked(), result.toString());
            assertEquals(result.expected, result.received, result.toString());
        }
        final long multiProducer = session.transports.stream().filter(t -> t.maxProducers() >= 2).count();
        assertEquals(ran.size() + multiProducer + ran.size() * 2, session.results.size(),
            "per transport: 64 B 1p and 2p (not the single-producer rows), latency at 2 rates");

        final Document html = Jsoup.parse(Files.readString(out.resolve("report.html")));
        assertTrue(html.title().startsWith("herz bench: "), html.title());
        final List<Element> charts = html.select("svg.latency-chart");
        final Set<String> rates = new HashSet<>();
        charts.forEach(chart -> rates.add(chart.attr("data-rate")));
        assertEquals(2, charts.size(), "one latency chart per rate");
        assertEquals(Set.of("100k", "max"), rates);
        for (final Element chart : charts)
        {
            assertEquals(ran.size() * 2 + 1, chart.select("polyline.series").size(),
                "every transport from intended and from stamp, plus the noise line");
            assertFalse(chart.select("text").text().isEmpty());
        }
        assertEquals(2, html.select("svg.throughput-chart").size(), "one bar chart per throughput shape");
        assertEquals(ran.size() + multiProducer, html.select("svg.throughput-chart rect.bar").size());
        assertTrue(html.select("h1").text().contains(System.getProperty("java.runtime.version")), "JDK in the title");
        assertTrue(Files.exists(out.resolve("report.md")));
        assertTrue(Files.readString(out.resolve("report.md")).contains("| Herz ring (shm:) |"));
        try (var hgrm = Files.list(out.resolve("hgrm")))
        {
            assertEquals(ran.size() * 2 * 2 + 2, hgrm.count(), "two .hgrm per latency run plus the noise baselines");
        }
    }
}

package io.herz.examples.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herz.examples.HerzCli;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code herz stat --prometheus}, {@code herz stat --json}, the embedded exporter and {@code herz ls} while a real
 * consumer JVM and a real producer JVM exchange events through a ring.
 */
@Timeout(180)
class MonitorProcessTest
{
    private static final int PRODUCER_ID = 3;

    @TempDir
    static Path dir;

    private static Path ring;
    private static ChildJvm consumer;
    private static ChildJvm producer;
    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeAll
    static void startPair() throws Exception
    {
        ring = dir.resolve("events.seg");
        // --producers 2 with one producer: the consumer never sees the end of its input and runs until killed
        consumer = ChildJvm.start("monitor-consume", HerzCli.class, "consume", "--ring", ring.toString(),
            "--producers", "2", "--capacity", "256k");
        producer = ChildJvm.start("monitor-produce", HerzCli.class, "produce", "--ring", ring.toString(),
            "--producer-id", Integer.toString(PRODUCER_ID), "--synthetic", "--count", "1000000000", "--rate", "20k");
        try (SegmentWatcher watcher = new SegmentWatcher(List.of(ring)))
        {
            Await.await(() ->
            {
                final List<RingView> rings = watcher.sample().rings();
                return rings.size() == 1 && !rings.get(0).consumers().isEmpty() &&
                    rings.get(0).consumers().get(0).recordsConsumed() > 1000 &&
                    rings.get(0).producers().size() == 1 && !rings.get(0).counters().isEmpty();
            }, 60_000, () -> "events flowing: consumer " + consumer.logTail() + "\nproducer " + producer.logTail());
        }
    }

    @AfterAll
    static void stopPair()
    {
        producer.destroyForcibly();
        consumer.destroyForcibly();
    }

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldServeStrictPrometheusTextWithMovingValuesWhenStatRunsWithPrometheus() throws Exception
    {
        final ChildJvm stat = herz("stat-prometheus", "stat", "--prometheus", "127.0.0.1:0", dir.toString());
        final Pattern serving = Pattern.compile("serving Prometheus metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");
        Await.await(() -> serving.matcher(stat.logTail()).find(), 60_000, stat::logTail);
        final Matcher matcher = serving.matcher(stat.log());
        assertTrue(matcher.find());
        final URI uri = URI.create("http://127.0.0.1:" + matcher.group(1) + "/metrics");

        final List<PrometheusText.Sample> first = PrometheusText.parse(get(uri, null), false);
        Thread.sleep(1_200);
        final List<PrometheusText.Sample> second = PrometheusText.parse(get(uri, null), false);
        final List<PrometheusText.Sample> openMetrics = PrometheusText.parse(
            get(uri, "application/openmetrics-text; version=1.0.0; charset=utf-8"), true);

        final Map<String, String> ringLabel = Map.of("ring", ring.toString());
        final Map<String, String> consumerLabels = Map.of("ring", ring.toString(), "consumer", "default",
            "pid", Long.toString(consumer.pid()));
        final Map<String, String> producerLabels = Map.of("ring", ring.toString(),
            "producer_id", Integer.toString(PRODUCER_ID), "slot", "0", "pid", Long.toString(producer.pid()));
        final Map<String, String> stageLabels = Map.of("ring", ring.toString(), "stage", "consume");
        for (final String name : List.of("herz_ring_tail_position_bytes", "herz_ring_head_position_bytes"))
        {
            assertMoved(first, second, name, ringLabel);
        }
        assertEquals(256 * 1024, PrometheusText.find(second, "herz_ring_capacity_bytes", ringLabel).value());
        assertMoved(first, second, "herz_consumer_records_total", consumerLabels);
        assertMoved(first, second, "herz_consumer_position_bytes", consumerLabels);
        assertEquals(1, PrometheusText.find(second, "herz_consumer_alive", consumerLabels).value());
        assertMoved(first, second, "herz_producer_records_total", producerLabels);
        assertMoved(first, second, "herz_producer_bytes_total", producerLabels);
        assertEquals(1, PrometheusText.find(second, "herz_producer_alive", producerLabels).value());
        PrometheusText.find(second, "herz_producer_back_pressure_total", producerLabels);
        PrometheusText.find(second, "herz_ring_unblocked_records_total", ringLabel);
        assertMoved(first, second, "herz_stage_events_total", stageLabels);
        assertEquals(0, PrometheusText.find(second, "herz_stage_lost_total", stageLabels).value());
        final double rate = PrometheusText.find(second, "herz_producer_records_per_second", producerLabels).value();
        assertTrue(rate > 1_000 && rate < 100_000, "producer rate at 20k/s: " + rate);
        assertTrue(PrometheusText.find(second, "herz_consumer_records_per_second", consumerLabels).value() > 1_000);
        assertTrue(PrometheusText.find(openMetrics, "herz_consumer_records_total", consumerLabels).value() >=
            PrometheusText.find(second, "herz_consumer_records_total", consumerLabels).value());
    }

    @Test
    void shouldFollowRingsAppearingAndDisappearingWhenExporterIsEmbedded() throws Exception
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        try (SegmentWatcher watcher = new SegmentWatcher(List.of(dir));
            HerzMetricsExporter exporter = new HerzMetricsExporter(watcher))
        {
            registry.register(exporter);
            final Path extra = dir.resolve("run-2").resolve("extra.seg");
            final Path junk = dir.resolve("junk.seg");

            final List<PrometheusText.Sample> before = scrape(registry);
            final Segment segment = Segment.create(extra, new SegmentConfig().capacity(4096));
            Files.writeString(junk, "not a segment");
            final List<PrometheusText.Sample> during = scrape(registry);
            segment.unlink();
            segment.close();
            Files.delete(junk);
            final List<PrometheusText.Sample> after = scrape(registry);

            assertEquals(1, PrometheusText.find(before, "herz_rings", Map.of()).value());
            assertEquals(2, PrometheusText.find(during, "herz_rings", Map.of()).value());
            assertEquals(1, PrometheusText.find(during, "herz_ring_read_problems", Map.of()).value());
            assertEquals(4096, PrometheusText.find(during, "herz_ring_capacity_bytes",
                Map.of("ring", extra.toString())).value());
            assertEquals(1, PrometheusText.find(after, "herz_rings", Map.of()).value());
            assertEquals(0, PrometheusText.find(after, "herz_ring_read_problems", Map.of()).value());
            assertFalse(after.stream().anyMatch(s -> extra.toString().equals(s.labels().get("ring"))));
            assertMoved(before, after, "herz_consumer_records_total", Map.of("ring", ring.toString()));
        }
    }

    @Test
    void shouldPrintOneParsableJsonDocumentPerIntervalWhenStatRunsWithJson() throws Exception
    {
        final ChildJvm stat = herz("stat-json", "stat", "--json", "--count", "3", "--interval", "500ms",
            dir.toString());
        stat.awaitSuccess(60_000);

        final ObjectMapper mapper = new ObjectMapper();
        final List<JsonNode> documents = new ArrayList<>();
        for (final String line : stat.log().split("\n"))
        {
            if (line.startsWith("{"))
            {
                documents.add(mapper.readTree(line));
            }
        }
        assertEquals(3, documents.size(), stat::logTail);
        long lastRecords = -1;
        for (final JsonNode document : documents)
        {
            assertTrue(document.get("timeMs").isNumber());
            assertEquals(0, document.get("problems").size(), document::toString);
            final JsonNode rings = document.get("rings");
            assertEquals(1, rings.size(), document::toString);
            final JsonNode view = rings.get(0);
            assertEquals(ring.toString(), view.get("ring").asText());
            assertEquals(256 * 1024, view.get("capacity").asInt());
            final JsonNode consumerNode = view.get("consumers").get(0);
            assertEquals("default", consumerNode.get("name").asText());
            assertEquals(consumer.pid(), consumerNode.get("pid").asLong());
            assertTrue(consumerNode.get("alive").asBoolean());
            assertEquals("alive", consumerNode.get("liveness").asText());
            final JsonNode producerNode = view.get("producers").get(0);
            assertEquals(PRODUCER_ID, producerNode.get("producerId").asInt());
            assertEquals(producer.pid(), producerNode.get("pid").asLong());
            assertEquals(0, producerNode.get("lostClaims").asLong(), producerNode::toString); // no claim was unblocked
            final long records = producerNode.get("recordsOffered").asLong();
            assertTrue(records > lastRecords, "records offered move: " + documents);
            lastRecords = records;
            boolean events = false;
            for (final JsonNode counter : view.get("counters"))
            {
                events |= counter.get("label").asText().equals("consume: events") &&
                    counter.get("stage").asText().equals("consume") && counter.get("value").asLong() > 0;
            }
            assertTrue(events, view::toString);
        }
        assertTrue(documents.get(0).get("rings").get(0).get("producers").get(0).get("recordsPerSecond").isNull());
        assertTrue(documents.get(2).get("rings").get(0).get("producers").get(0).get("recordsPerSecond")
            .asDouble() > 1_000, documents.get(2)::toString);
    }

    @Test
    void shouldListOwnersAndHoldersWhenLs()
    {
        final StringWriter out = new StringWriter();
        final int exit = HerzCli.commandLine().setOut(new PrintWriter(out)).execute("ls", dir.toString());

        final String text = out.toString();
        assertEquals(0, exit, text);
        assertTrue(text.contains("segment   events.seg  "), text);
        assertTrue(text.contains("capacity 256.0 KiB"), text);
        assertTrue(text.contains("in use"), text);
        assertTrue(text.contains("consumer default pid " + consumer.pid() + " alive"), text);
        assertTrue(text.contains("producer slot 0 id " + PRODUCER_ID + " pid " + producer.pid() + " alive"), text);
        assertTrue(text.contains("mapped or open by pid " + Math.min(consumer.pid(), producer.pid()) + ", " +
            Math.max(consumer.pid(), producer.pid())), text);
    }

    private static void assertMoved(final List<PrometheusText.Sample> first, final List<PrometheusText.Sample> second,
        final String name, final Map<String, String> labels)
    {
        final double before = PrometheusText.find(first, name, labels).value();
        final double after = PrometheusText.find(second, name, labels).value();
        assertTrue(after > before, name + labels + " moved between scrapes: " + before + " -> " + after);
    }

    private static List<PrometheusText.Sample> scrape(final PrometheusRegistry registry) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(bytes, registry.scrape());
        return PrometheusText.parse(bytes.toString(StandardCharsets.UTF_8), false);
    }

    private static String get(final URI uri, final String accept) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (accept != null)
        {
            request.header("Accept", accept);
        }
        final HttpResponse<String> response = HttpClient.newHttpClient()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        final String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(accept == null ? type.startsWith("text/plain; version=0.0.4") :
            type.startsWith("application/openmetrics-text"), type);
        return response.body();
    }

    private ChildJvm herz(final String name, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, HerzCli.class, args);
        children.add(child);
        return child;
    }
}

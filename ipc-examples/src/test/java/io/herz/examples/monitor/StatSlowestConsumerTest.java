package io.herz.examples.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herz.examples.HerzCli;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.status.SegmentStatus;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring with two consumer names at different positions (fan-out): {@code herz stat} (text, {@code --json}) and the
 * Prometheus exporter show both and name the slower one, the consumer holding the producers back; when the other
 * falls further behind, it becomes the one named.
 */
@Timeout(60)
class StatSlowestConsumerTest
{
    private static final int LENGTH = 56;

    @TempDir
    Path dir;

    private Path ring;
    private Subscription tumbling;
    private Subscription sliding;
    private Publication publication;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[LENGTH]);

    @BeforeEach
    void setUp()
    {
        ring = dir.resolve("events.seg");
        final SegmentConfig config = new SegmentConfig().capacity(64 * 1024);
        tumbling = Transports.subscription(ring.toString(),
            new SubscriptionOptions().consumerName("tumbling").segmentConfig(config));
        sliding = Transports.subscription(ring.toString(),
            new SubscriptionOptions().consumerName("sliding").segmentConfig(config));
        publication = Transports.publication(ring.toString(), new PublicationOptions().producerId(7));
    }

    @AfterEach
    void tearDown()
    {
        publication.close();
        sliding.close();
        tumbling.close();
    }

    @Test
    void shouldNameTheSlowerOfTwoConsumersInTextJsonAndPrometheus() throws Exception
    {
        publish(100);
        assertEquals(100, drain(tumbling, 1000));
        assertEquals(10, drain(sliding, 10));

        final SegmentStatus status = SegmentStatus.read(ring);
        final long tail = status.tailPosition();
        final long slidingLag = tail - sliding.position();
        assertEquals("sliding", status.slowestConsumer().name());
        assertEquals(sliding.position(), status.headPosition());
        assertEquals(2, status.consumers().size());
        assertEquals(0, consumer(status, "tumbling").lagBytes());
        assertEquals(slidingLag, consumer(status, "sliding").lagBytes());
        assertEquals(10, consumer(status, "sliding").recordsConsumed());
        assertEquals(100, consumer(status, "tumbling").recordsConsumed());
        assertEquals(ProcessHandle.current().pid(), consumer(status, "sliding").pid());

        final String text = herz("stat", "--once", ring.toString());
        assertTrue(text.contains("  slowest consumer: sliding (lag " + RingView.bytes(slidingLag) + ")\n"), text);
        assertTrue(text.contains("  consumer tumbling pid " + ProcessHandle.current().pid() + "  position " +
            String.format("%,d", tail) + "  lag 0 B  consumed 100"), text);
        assertTrue(text.matches("(?s).*  consumer sliding pid \\d+  position [0-9,]+  lag " +
            String.format("%,d", slidingLag) + " B  consumed 10  rate -/s  \\(slowest\\)\n.*"), text);
        assertTrue(text.contains("lost claims 0"), text);

        final JsonNode json = new ObjectMapper().readTree(herz("stat", "--json", "--once", ring.toString()));
        final JsonNode view = json.get("rings").get(0);
        assertEquals("sliding", view.get("slowestConsumer").asText());
        assertEquals(slidingLag, view.get("lagBytes").asLong());
        final JsonNode consumers = view.get("consumers");
        assertEquals(2, consumers.size(), view::toString);
        assertEquals("tumbling", consumers.get(0).get("name").asText());
        assertFalse(consumers.get(0).get("slowest").asBoolean());
        assertEquals(0, consumers.get(0).get("lagBytes").asLong());
        assertEquals("sliding", consumers.get(1).get("name").asText());
        assertTrue(consumers.get(1).get("slowest").asBoolean());
        assertEquals(slidingLag, consumers.get(1).get("lagBytes").asLong());
        assertEquals(0, consumers.get(1).get("dropAfterMs").asLong());
        assertEquals(0, view.get("producers").get(0).get("lostClaims").asLong());

        final List<PrometheusText.Sample> samples = scrape();
        final String pid = Long.toString(ProcessHandle.current().pid());
        final Map<String, String> slidingLabels = Map.of("ring", ring.toString(), "consumer", "sliding", "pid", pid);
        final Map<String, String> tumblingLabels = Map.of("ring", ring.toString(), "consumer", "tumbling", "pid", pid);
        assertEquals(1, PrometheusText.find(samples, "herz_ring_slowest_consumer",
            Map.of("ring", ring.toString(), "consumer", "sliding")).value());
        assertEquals(2, PrometheusText.find(samples, "herz_ring_consumers", Map.of("ring", ring.toString())).value());
        assertEquals(1, PrometheusText.find(samples, "herz_consumer_slowest", slidingLabels).value());
        assertEquals(0, PrometheusText.find(samples, "herz_consumer_slowest", tumblingLabels).value());
        assertEquals(slidingLag, PrometheusText.find(samples, "herz_consumer_lag_bytes", slidingLabels).value());
        assertEquals(0, PrometheusText.find(samples, "herz_consumer_lag_bytes", tumblingLabels).value());
        assertEquals(10, PrometheusText.find(samples, "herz_consumer_records_total", slidingLabels).value());
        assertEquals(100, PrometheusText.find(samples, "herz_consumer_records_total", tumblingLabels).value());
        PrometheusText.find(samples, "herz_producer_lost_claims_total", Map.of("ring", ring.toString()));
    }

    @Test
    void shouldNameTheOtherConsumerWhenItFallsFurtherBehind() throws Exception
    {
        publish(100);
        drain(tumbling, 1000);
        drain(sliding, 10);
        assertTrue(herz("stat", "--once", ring.toString()).contains("slowest consumer: sliding"));

        publish(50);
        assertEquals(140, drain(sliding, 1000));

        final SegmentStatus status = SegmentStatus.read(ring);
        final long tumblingLag = status.tailPosition() - tumbling.position();
        assertEquals("tumbling", status.slowestConsumer().name());
        final String text = herz("stat", "--once", ring.toString());
        assertTrue(text.contains("  slowest consumer: tumbling (lag " + RingView.bytes(tumblingLag) + ")\n"), text);
        assertEquals(1, PrometheusText.find(scrape(), "herz_ring_slowest_consumer",
            Map.of("ring", ring.toString(), "consumer", "tumbling")).value());
    }

    private void publish(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            payload.putInt(0, i);
            assertTrue(publication.offer(1, payload, 0, LENGTH) >= 0, "offer " + i);
        }
    }

    private static int drain(final Subscription subscription, final int most)
    {
        int total = 0;
        int read;
        do
        {
            read = subscription.poll((type, buffer, offset, length) -> { }, Math.min(64, most - total));
            total += read;
        }
        while (read > 0 && total < most);
        return total;
    }

    private static SegmentStatus.ConsumerStatus consumer(final SegmentStatus status, final String name)
    {
        return status.consumers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
            new AssertionError("no consumer " + name + " in " + status.consumers()));
    }

    private List<PrometheusText.Sample> scrape() throws Exception
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        try (SegmentWatcher watcher = new SegmentWatcher(List.of(ring));
            HerzMetricsExporter exporter = new HerzMetricsExporter(watcher))
        {
            registry.register(exporter);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new PrometheusTextFormatWriter(false).write(bytes, registry.scrape());
            return PrometheusText.parse(bytes.toString(StandardCharsets.UTF_8), false);
        }
    }

    private static String herz(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = HerzCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertEquals(0, exit, () -> out + "\n" + err);
        return out.toString();
    }
}

package io.herz.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.status.SegmentStatus;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code herz consumers}: the listing names every consumer with pid, liveness, position and lag and marks the slowest;
 * {@code --remove} refuses a live holder (naming it) unless {@code --force}, removes a detached name, and says what
 * was removed; bad names and options are clear errors. The real-JVM case (a producer back-pressured on a stopped
 * consumer, unblocked by the removal) is {@code ConsumerRemovalMultiProcessTest} in ipc-core.
 */
@Timeout(60)
class ConsumersCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListRemoveAndRefuseConsumers() throws Exception
    {
        final Path ring = dir.resolve("events.seg");
        final SegmentConfig config = new SegmentConfig().capacity(64 * 1024);
        final String pid = Long.toString(ProcessHandle.current().pid());
        try (Subscription fast = Transports.subscription(ring.toString(),
                new SubscriptionOptions().consumerName("fast").segmentConfig(config));
            Subscription slow = Transports.subscription(ring.toString(),
                new SubscriptionOptions().consumerName("slow").segmentConfig(config));
            Publication publication = Transports.publication(ring.toString(), new PublicationOptions()))
        {
            Transports.subscription(ring.toString(), new SubscriptionOptions().consumerName("idle")).close();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[120]);
            for (int i = 0; i < 8; i++)
            {
                assertTrue(publication.offer(1, payload, 0, payload.capacity()) >= 0);
            }
            int read = 0;
            while (read < 8)
            {
                read += fast.poll((type, buffer, offset, length) -> { }, 8);
            }
            assertEquals(2, slow.poll((type, buffer, offset, length) -> { }, 2));

            final String listing = run(0, "consumers", "--ring", ring.toString());
            assertTrue(listing.startsWith(ring + ": 3 consumers, tail 1,024; slowest consumer: idle (lag 1.0 KiB)\n"),
                listing);
            assertTrue(listing.matches("(?s).*\n  fast +" + pid + "  alive +1,024 +0 B +8 .* never\n.*"), listing);
            assertTrue(listing.matches("(?s).*\n  slow +" + pid + "  alive +256 +768 B +2 .* never\n.*"), listing);
            assertTrue(listing.matches("(?s).*\n  idle +-  detached +0 +1.0 KiB +0 .* never  <- slowest\n.*"),
                listing);

            final String text = run(0, "consumers", "--ring", ring.toString());
            final String jsonText = run(0, "consumers", "--ring", ring.toString(), "--json");
            assertEquals(1, jsonText.split("\n", -1).length - 1, "one line: " + jsonText);
            final JsonNode json = new ObjectMapper().readTree(jsonText);
            assertEquals(ring.toString(), json.get("ring").asText());
            assertEquals(64 * 1024, json.get("capacity").asLong());
            assertEquals(0, json.get("headPosition").asLong());
            assertEquals(1024, json.get("tailPosition").asLong());
            assertEquals(1024, json.get("lagBytes").asLong());
            assertEquals("idle", json.get("slowestConsumer").asText());
            final JsonNode consumers = json.get("consumers");
            assertEquals(3, consumers.size(), jsonText);
            assertConsumer(consumers.get(0), "fast", Long.parseLong(pid), "alive", 1024, 0, 8, false);
            assertConsumer(consumers.get(1), "slow", Long.parseLong(pid), "alive", 256, 768, 2, false);
            assertConsumer(consumers.get(2), "idle", 0, "none", 0, 1024, 0, true);
            assertTrue(consumers.get(0).get("heartbeatAgeMs").asLong() >= 0, jsonText);
            assertTrue(consumers.get(2).get("heartbeatAgeMs").isNull() ||
                consumers.get(2).get("heartbeatAgeMs").asLong() >= 0, jsonText);
            assertTrue(consumers.get(0).get("recordsPerSecond").isNull(), jsonText);
            // the text listing shows the same consumers in the same order
            for (final JsonNode consumer : consumers)
            {
                assertTrue(text.contains("\n  " + consumer.get("name").asText() + " "), text);
            }
            assertTrue(run(2, "consumers", "--ring", ring.toString(), "--json", "--remove", "idle")
                .contains("--json lists consumers: it cannot be combined with --remove"));

            assertEquals("herz consumers: " + ring + ": consumer slow is in use: expected no live process attached, " +
                "found pid=" + pid + " (alive); stop it, or remove with --force to detach it",
                run(1, "consumers", "--ring", ring.toString(), "--remove", "slow"));
            assertEquals("herz consumers: " + ring + ": consumer nobody is not registered: expected one of fast, " +
                "slow, idle", run(1, "consumers", "--ring", ring.toString(), "--remove", "nobody"));
            assertTrue(run(2, "consumers", "--ring", ring.toString(), "--force")
                .contains("--force needs --remove NAME"));

            assertEquals("removed consumer idle from " + ring + ": it was at position 0, holding back 1.0 KiB",
                run(0, "consumers", "--ring", ring.toString(), "--remove", "idle").trim());
            assertEquals("removed consumer slow from " + ring + ": it was at position 256, holding back 768 B; " +
                "detached live pid " + pid + " (--force: kill it, it no longer holds the ring)",
                run(0, "consumers", "--ring", ring.toString(), "--remove", "slow", "--force").trim());

            final SegmentStatus status = SegmentStatus.read(ring);
            assertEquals(List.of("fast"), status.consumers().stream().map(SegmentStatus.ConsumerStatus::name).toList());
            assertEquals(0, status.lagBytes());
            assertTrue(run(0, "consumers", "--ring", ring.toString())
                .startsWith(ring + ": 1 consumer, tail 1,024; slowest consumer: fast (lag 0 B)\n"));
        }
    }

    private static void assertConsumer(
        final JsonNode consumer,
        final String name,
        final long pid,
        final String liveness,
        final long position,
        final long lagBytes,
        final long recordsConsumed,
        final boolean slowest)
    {
        final String context = consumer.toString();
        assertEquals(name, consumer.get("name").asText(), context);
        assertEquals(pid, consumer.get("pid").asLong(), context);
        assertEquals(pid != 0, consumer.get("alive").asBoolean(), context);
        assertEquals(liveness, consumer.get("liveness").asText(), context);
        assertEquals(position, consumer.get("position").asLong(), context);
        assertEquals(lagBytes, consumer.get("lagBytes").asLong(), context);
        assertEquals(recordsConsumed, consumer.get("recordsConsumed").asLong(), context);
        assertEquals(slowest, consumer.get("slowest").asBoolean(), context);
        assertEquals(0, consumer.get("dropAfterMs").asLong(), context);
    }

    private static String run(final int expectedExit, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = HerzCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertEquals(expectedExit, exit, () -> out + "\n" + err);
        return expectedExit == 0 ? out.toString() : err.toString().trim();
    }
}

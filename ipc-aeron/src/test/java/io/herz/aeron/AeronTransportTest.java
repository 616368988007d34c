package io.herz.aeron;

import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam over Aeron in one JVM with one embedded driver: round trips over aeron:ipc and aeron:udp on loopback,
 * a message larger than the MTU, back-pressure without loss, not-connected, the monitor's view, and the driver's
 * directory going away with the last close.
 */
@Timeout(120)
class AeronTransportTest
{
    private static final Path BASE = Path.of("/dev/shm", "herz-test-aeron-" + ProcessHandle.current().pid());
    private static Subscription keepAlive;
    private static File driverDir;

    @BeforeAll
    static void startDriver()
    {
        System.setProperty(AeronDriverConfig.BASE_DIR_PROP, BASE.toString());
        keepAlive = Transports.subscription("aeron:ipc?stream-id=999", new SubscriptionOptions());
        driverDir = AeronRuntime.currentAeronDir();
        assertEquals(BASE.resolve("aeron-" + ProcessHandle.current().pid()).toFile(), driverDir);
        assertTrue(new File(driverDir, "cnc.dat").isFile());
    }

    @AfterAll
    static void stopDriver()
    {
        keepAlive.close();
        assertFalse(driverDir.exists(), "embedded driver directory must go with the last close: " + driverDir);
        assertEquals(null, AeronRuntime.currentAeronDir());
        IoUtil.delete(BASE.toFile(), true);
        System.clearProperty(AeronDriverConfig.BASE_DIR_PROP);
    }

    static String udp(final int streamId) throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return "aeron:udp?endpoint=127.0.0.1:" + socket.getLocalPort() + "|stream-id=" + streamId;
        }
    }

    private static String uri(final String media, final int streamId) throws Exception
    {
        return "ipc".equals(media) ? "aeron:ipc?stream-id=" + streamId : udp(streamId);
    }

    @ParameterizedTest
    @ValueSource(strings = { "ipc", "udp" })
    void shouldRoundTripTypesAndBytesIncludingMessageLargerThanMtu(final String media) throws Exception
    {
        final String uri = uri(media, 21);
        try (Subscription subscription = Transports.subscription(uri, new SubscriptionOptions());
            Publication publication = Transports.publication(uri, new PublicationOptions().exclusive(true)
                .segmentConfig(new SegmentConfig().openTimeoutMs(10_000))))
        {
            assertTrue(publication.isConnected());
            final int count = 2_000;
            final List<byte[]> sent = new ArrayList<>();
            final List<Integer> sentTypes = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                final byte[] payload = payload(i, 8 + i % 120);
                final int type = 1 + i % 5;
                int index;
                while ((index = publication.tryClaim(type, payload.length)) < 0)
                {
                    assertTrue(index == Publication.BACK_PRESSURED || index == Publication.ADMIN_ACTION,
                        "claim: " + index);
                    Thread.onSpinWait();
                }
                publication.buffer().putBytes(index, payload);
                assertTrue(publication.commit(index));
                sent.add(payload);
                sentTypes.add(type);
            }
            final byte[] large = payload(7, publication.maxClaimLength() * 3 + 17);
            assertTrue(large.length > 1408);
            assertThrows(IllegalArgumentException.class, () -> publication.tryClaim(9, large.length));
            while (publication.offer(9, new UnsafeBuffer(large), 0, large.length) < 0)
            {
                Thread.onSpinWait();
            }
            sent.add(large);
            sentTypes.add(9);

            final List<byte[]> received = new ArrayList<>();
            final List<Integer> receivedTypes = new ArrayList<>();
            awaitTrue(() ->
            {
                subscription.poll((type, buffer, offset, length) ->
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    received.add(bytes);
                    receivedTypes.add(type);
                }, 100);
                return received.size() == sent.size();
            });
            assertEquals(sentTypes, receivedTypes);
            for (int i = 0; i < sent.size(); i++)
            {
                assertArrayEquals(sent.get(i), received.get(i), "message " + i);
            }
            assertTrue(subscription.position() > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "ipc", "udp" })
    void shouldBackPressureWithoutLossWhenSubscriberDoesNotPoll(final String media) throws Exception
    {
        final String uri = uri(media, 22);
        try (Subscription subscription = Transports.subscription(uri, new SubscriptionOptions());
            Publication publication = Transports.publication(uri, new PublicationOptions()
                .segmentConfig(new SegmentConfig().openTimeoutMs(10_000))))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
            long accepted = 0;
            int result = 0;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long lastProgressNs = System.nanoTime();
            while (System.nanoTime() - deadlineNs < 0)
            {
                message.putLong(0, accepted);
                result = publication.offer(3, message, 0, message.capacity());
                if (result >= 0)
                {
                    accepted++;
                    lastProgressNs = System.nanoTime();
                }
                else if (result == Publication.BACK_PRESSURED &&
                    System.nanoTime() - lastProgressNs > TimeUnit.MILLISECONDS.toNanos(300))
                {
                    break; // full for good: the subscriber does not poll (the limit moves in steps before that)
                }
            }
            assertEquals(Publication.BACK_PRESSURED, result);
            assertTrue(accepted > 100, "accepted before back-pressure: " + accepted);

            final long[] next = { 0 };
            final long acceptedBefore = accepted;
            final long total = accepted + 1;
            final boolean[] sentAfterDrain = { false };
            awaitTrue(() ->
            {
                subscription.poll((type, buffer, offset, length) ->
                {
                    assertEquals(next[0], buffer.getLong(offset), "sequence");
                    next[0]++;
                }, 256);
                if (next[0] == acceptedBefore && !sentAfterDrain[0])
                {
                    message.putLong(0, acceptedBefore); // room again once drained: one more is accepted
                    sentAfterDrain[0] = publication.offer(3, message, 0, message.capacity()) >= 0;
                }
                return next[0] == total;
            });
        }
    }

    @Test
    void shouldReportNotConnectedAndTimeOutProducerWithoutSubscriber() throws Exception
    {
        final String uri = udp(23);
        try (Publication publication = Transports.publication(uri, new PublicationOptions().create(true)))
        {
            assertFalse(publication.isConnected());
            assertEquals(Publication.NOT_CONNECTED, publication.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
            assertEquals(Publication.NOT_CONNECTED, publication.tryClaim(1, 8));
        }
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Transports.publication(uri,
            new PublicationOptions().segmentConfig(new SegmentConfig().openTimeoutMs(200))));
        assertTrue(ex.getMessage().contains("no subscriber connected within 200 ms"), ex.getMessage());
    }

    @Test
    void shouldShowStreamsAndStageCountersInStat() throws Exception
    {
        final String uri = udp(24);
        try (Subscription subscription = Transports.subscription(uri, new SubscriptionOptions());
            Publication publication = Transports.publication(uri, new PublicationOptions()
                .segmentConfig(new SegmentConfig().openTimeoutMs(10_000))))
        {
            subscription.newCounter("test: events").setRelease(42);
            while (publication.offer(1, new UnsafeBuffer(new byte[64]), 0, 64) < 0)
            {
                Thread.onSpinWait();
            }
            awaitTrue(() -> subscription.poll((type, buffer, offset, length) -> {}, 10) > 0);
            try (AeronStat stat = new AeronStat(driverDir))
            {
                final String text = String.join("\n", stat.render());
                assertTrue(text.contains("publication aeron:udp?endpoint=127.0.0.1:") && text.contains("stream 24"),
                    text);
                assertTrue(text.contains("connected"), text);
                assertTrue(text.contains("subscription aeron:udp?endpoint=127.0.0.1:"), text);
                assertTrue(text.contains("test: events") && text.contains("42"), text);
                assertTrue(text.contains("NAKs sent"), text);
            }
            assertTrue(AeronStat.findDrivers(BASE).contains(driverDir.toPath()));
        }
    }

    @Test
    void shouldRefuseStandaloneDriverThatIsNotRunning() throws Exception
    {
        final Path dir = Files.createTempDirectory("herz-no-driver");
        System.setProperty(AeronDriverConfig.AERON_DIR_PROP, dir.toString());
        try
        {
            keepAlive.close(); // let the embedded runtime go so the next acquire looks for the standalone driver
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> Transports.subscription("aeron:ipc", new SubscriptionOptions()));
            assertTrue(ex.getMessage().contains("herz driver --aeron-dir " + dir), ex.getMessage());
        }
        finally
        {
            System.clearProperty(AeronDriverConfig.AERON_DIR_PROP);
            keepAlive = Transports.subscription("aeron:ipc?stream-id=999", new SubscriptionOptions());
            driverDir = AeronRuntime.currentAeronDir();
            IoUtil.delete(dir.toFile(), true);
        }
    }

    private static byte[] payload(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
    }

    static void awaitTrue(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(1);
        }
    }
}
